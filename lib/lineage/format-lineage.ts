import type { Lineage, SegmentLineage } from './lineage.js';

/**
 * A lineage for people: the chain from data to serving, one link per block,
 * each introduced by an arrow. At most `maxSegments` segments are listed
 * (the rest counted), so a two-week window stays readable.
 */
export function formatLineage(lineage: Lineage, maxSegments = 12): string {
  const { model, data, code, serving } = lineage;
  const lines: string[] = [];
  const link = (title: string, first: string) => lines.push(`  ↓`, `${title.padEnd(8)} ${first}`);
  const detail = (text: string) => lines.push(`         ${text}`);

  lines.push(`model    ${model.version}   (${model.algorithm}, created ${model.createdAt})`, `         ${model.location}`);
  const window = data.window === null ? 'window not recorded' : `window ${data.window.from} → ${data.window.to}`;
  link('data', `${window}; content sha256 ${data.contentHash}${checkNote(data.check)}`);
  detail(`${data.counts.users} users × ${data.counts.movies} movies, ${data.counts.interactions} interactions trained on (${data.counts.ratings} rated)`);
  if (data.segments.length > 0) detail(`${data.segments.length} segment${data.segments.length === 1 ? '' : 's'}:`);
  for (const segment of data.segments.slice(0, maxSegments)) detail(`  ${formatSegment(segment)}`);
  if (data.segments.length > maxSegments) detail(`  … and ${data.segments.length - maxSegments} more (--json lists them all)`);
  for (const file of data.files.slice(0, maxSegments)) detail(`  file ${file}`);

  const params = Object.entries(lineage.params).map(([k, v]) => `${k}=${v}`);
  link('params', params.length > 0 ? params.join(' ') : '(none)');
  link('code', `movierec ${code.packageVersion}, commit ${code.gitCommit ?? 'unknown'}${code.tag === null ? '' : `, tag ${code.tag}`}`);
  const offline = Object.entries(lineage.offline).map(([k, v]) => `${k} ${v === null ? 'n/a' : round(v)}`);
  link('offline', offline.length > 0 ? offline.join(', ') : '(none)');

  if (serving === null) link('served', 'unknown (pass --events <dir> to read the served records)');
  else if (serving.length === 0) link('served', 'never served (no served record names this version)');
  else {
    link('served', `by ${serving.length} revision${serving.length === 1 ? '' : 's'}:`);
    for (const revision of serving) {
      const span = revision.served === 0 ? 'no served record' : `${revision.served} answers (${revision.fallbacks} fallback), ${revision.firstServed} → ${revision.lastServed}`;
      detail(`${revision.revision}: ${span}`);
      detail(`  → online: ${revision.online === null ? 'no online evaluation yet' : formatOnline(revision.online.at, revision.online.stats)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

function formatSegment(segment: SegmentLineage): string {
  const size = segment.bytes === null ? '' : ` ${segment.bytes} B`;
  const hash = segment.sha256 === null ? ' sha256 not recorded' : ` sha256 ${segment.sha256}`;
  const status = segment.status === 'unchecked' ? '' : ` ${segment.status === 'verified' ? '✓' : '✗'} ${segment.status}${segment.grown ? ' (grown since)' : ''}`;
  return `${segment.key}${size}${hash}${status}`;
}

function checkNote(check: Lineage['data']['check']): string {
  if (check === 'unchecked') return '';
  return check === 'verified' ? ' ✓ matches the events store' : ' ✗ the events store no longer holds these bytes';
}

function formatOnline(at: string, stats: { hitRate: number | null; served: number; meanRating: number | null; watchedMinutes: number; latencyP95Ms: number | null }): string {
  const parts = [
    `hit rate ${stats.hitRate === null ? 'n/a' : round(stats.hitRate)} of ${stats.served}`,
    `mean rating ${stats.meanRating === null ? 'n/a' : round(stats.meanRating)}`,
    `${round(stats.watchedMinutes)} min watched`,
    `p95 ${stats.latencyP95Ms === null ? 'n/a' : `${round(stats.latencyP95Ms)} ms`}`,
  ];
  return `${parts.join(', ')} (evaluated ${at})`;
}

function round(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(4);
}
