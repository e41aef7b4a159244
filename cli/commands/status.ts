import type { Command } from 'commander';
import { Option } from 'commander';
import type { RevisionState } from '../../lib/rollout/platform.js';
import type { Io } from '../io.js';
import { printJson, say } from '../io.js';
import type { OnlineReportView } from '../online-metrics.js';
import { fetchOnline } from '../online-metrics.js';
import type { PlatformFlags } from '../platform-options.js';
import { addPlatformOptions, httpUrl, onPlatform, resolveTarget } from '../platform-options.js';

interface StatusFlags extends PlatformFlags {
  online?: string;
  json?: boolean;
}

export function registerStatus(program: Command, io: Io): void {
  const command = program
    .command('status')
    .summary("show recommend's revisions, their traffic and their online metrics")
    .description(
      "Print every revision of recommend (name, tag, traffic share, ready, model version, created) and, when evaluate's GET /online answers (through the local runtime, or at --online), each revision's online metrics from the latest evaluation: hit rate, recommendations served, p95 latency.",
    );
  addPlatformOptions(command)
    .addOption(new Option('--online <url>', "evaluate's GET /online (default: through the local runtime)").argParser(httpUrl))
    .option('--json', 'print one JSON object on stdout: { revisions, online, note? }')
    .addHelpText('after', '\nExamples:\n  movierec status\n  movierec status --json | jq .revisions\n  movierec status --kube --namespace movierec --online http://evaluate.movierec.svc.cluster.local/online')
    .action(async (flags: StatusFlags) => {
      const target = await resolveTarget(flags);
      const state = await onPlatform(target, (platform) => platform.describe());
      const online = await fetchOnline({ ingress: target.ingress, ...(flags.online === undefined ? {} : { online: flags.online }) });
      if (flags.json) {
        printJson(io, { revisions: state.revisions, online: 'report' in online ? online.report : null, ...('note' in online ? { note: online.note } : {}) });
        return;
      }
      say(io, `recommend on ${target.label}`);
      say(io, revisionsTable(state.revisions, 'report' in online ? online.report : null));
      if ('note' in online) say(io, online.note);
      else say(io, `online metrics: evaluation at ${online.report.at} (${online.from})`);
    });
}

function percentText(value: number | null): string {
  return value === null ? '—' : `${(value * 100).toFixed(1)} %`;
}

/** Aligned columns; the online ones only when there is a report. */
export function revisionsTable(revisions: readonly RevisionState[], report: OnlineReportView | null): string {
  if (revisions.length === 0) return '  no revisions: nothing serves yet (movierec rollout BUNDLE)';
  const head = ['REVISION', 'TAG', 'TRAFFIC', 'READY', 'MODEL', 'CREATED'];
  if (report !== null) head.push('HIT RATE', 'SERVED', 'P95');
  const rows = revisions.map((r) => {
    const row = [r.name, r.tag ?? '—', `${r.percent} %`, r.ready ? 'yes' : 'no', r.modelVersion ?? '—', r.createdAt.replace(/\.\d+Z$/, 'Z')];
    if (report !== null) {
      const stats = report.revisions.find((s) => s.revision === r.name);
      row.push(percentText(stats?.hitRate ?? null), stats === undefined ? '—' : String(stats.served), stats?.latencyP95Ms == null ? '—' : `${stats.latencyP95Ms.toFixed(1)} ms`);
    }
    return row;
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  return [head, ...rows].map((row) => `  ${row.map((cell, i) => cell.padEnd(widths[i])).join('  ')}`.trimEnd()).join('\n');
}
