import { existsSync } from 'node:fs';
import { Option } from 'commander';
import type { Command } from 'commander';
import { InvalidArgumentError } from '../../lib/errors.js';
import { FsEventsStorage } from '../../lib/events/fs-events-storage.js';
import type { WindowEnd, WindowSpec } from '../../lib/pipeline/snapshot.js';
import { exportSnapshot, resolveWindow } from '../../lib/pipeline/snapshot.js';
import { loadParams } from '../../lib/training/params.js';
import type { Io } from '../io.js';
import { printJson, say } from '../io.js';
import { instant, positiveInt, windowEnd } from '../options.js';
import { countProgress } from '../progress.js';

interface SnapshotFlags {
  events: string;
  out: string;
  windowDays?: number;
  from?: number;
  to: WindowEnd;
  params?: string;
  json?: boolean;
}

export function registerSnapshot(program: Command, io: Io): void {
  program
    .command('snapshot')
    .summary("copy a window of the events store's watch and rate segments into a folder, with snapshot.json")
    .description(
      "Export a time window of the events store for the pipeline (DVC's snapshot stage): every watch and rate segment of the window's UTC days, copied byte for byte into --out (itself an events store), and snapshot.json with the window, each segment's size and sha256, the content hash (the one a model manifest records for the same window) and record counts. The window is --from/--to, or --window-days ending at --to (now, latest = just after the newest stored event, or an instant); without either, params.yaml's train.window_days.",
    )
    .requiredOption('-e, --events <dir>', 'the events store folder')
    .requiredOption('-o, --out <dir>', 'the snapshot folder (empty or absent)')
    .addOption(new Option('--window-days <n>', 'days of events, ending at --to').argParser(positiveInt).conflicts('from'))
    .addOption(new Option('--from <instant>', 'window start, inclusive (ISO date or date-time)').argParser(instant))
    .addOption(new Option('--to <end>', 'window end, exclusive: now, latest or an ISO instant').argParser(windowEnd).default('now'))
    .option('--params <file>', 'params.yaml, for train.window_days when no window is given')
    .option('--json', 'print one JSON object on stdout')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  movierec snapshot --events .movierec/events --out data/snapshot --window-days 14\n' +
        '  movierec snapshot --events .movierec/events --out data/snapshot --params params.yaml --to latest\n' +
        '  movierec snapshot --events .movierec/events --out data/snapshot --from 2026-11-01 --to 2026-11-15 --json',
    )
    .action(async (flags: SnapshotFlags) => {
      if (!existsSync(flags.events)) throw new InvalidArgumentError(`--events ${flags.events}: no such folder`);
      const storage = new FsEventsStorage(flags.events);
      const window = await resolveWindow(storage, await windowSpec(flags));
      const progress = countProgress(io, 'snapshot', 'segments');
      const manifest = await exportSnapshot(storage, flags.out, window, (done, total) => progress.update(done, total)).finally(() =>
        progress.stop(),
      );
      if (flags.json) {
        printJson(io, { out: flags.out, ...manifest });
        return;
      }
      const bytes = manifest.segments.reduce((sum, s) => sum + s.bytes, 0);
      const records = Object.entries(manifest.counts.records).map(([kind, n]) => `${n} ${kind}`);
      say(io, `window ${manifest.window.from} → ${manifest.window.to}`);
      say(io, `${manifest.segments.length} segments, ${bytes} bytes: ${records.length > 0 ? records.join(', ') : 'no records'}`);
      if (manifest.counts.corrupt + manifest.counts.duplicates > 0) {
        say(io, `skipped ${manifest.counts.duplicates} duplicates and ${manifest.counts.corrupt} corrupt lines`);
      }
      say(io, `content sha256 ${manifest.contentHash}`);
      say(io, `snapshot ${flags.out}`);
    });
}

async function windowSpec(flags: SnapshotFlags): Promise<WindowSpec> {
  if (flags.from !== undefined) {
    if (typeof flags.to !== 'number') throw new InvalidArgumentError('--from needs --to as an instant (not now or latest)');
    return { from: flags.from, to: flags.to };
  }
  if (flags.windowDays !== undefined) return { days: flags.windowDays, end: flags.to };
  if (flags.params !== undefined) return { days: (await loadParams(flags.params)).windowDays, end: flags.to };
  throw new InvalidArgumentError('name a window: --window-days N, --from and --to, or --params params.yaml (train.window_days)');
}
