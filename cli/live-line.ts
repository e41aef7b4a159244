import type { SystemStatus } from '../local/system.js';

/**
 * The one line `movierec up` keeps current: events per second into the raw
 * stream's sinks, rejects, models trained, and the recommend traffic split.
 */

export interface LiveSample {
  readonly at: number;
  readonly delivered: number;
}

export interface LiveLine {
  readonly text: string;
  readonly sample: LiveSample;
}

function delivered(status: SystemStatus): number {
  let total = 0;
  for (const source of status.sources) if (source.kind === 'KafkaSource') total += source.delivered;
  return total;
}

/** Traffic as `recommend-00002 90% · recommend-00003 10% (starting)`; `no model yet` before the first. */
export function trafficText(status: SystemStatus): string {
  const shown = status.revisions.filter((r) => r.percent > 0 || r.phase === 'starting');
  if (shown.length === 0) return 'no model yet';
  return shown
    .map((r) => `${r.name} ${r.percent}%${r.phase === 'ready' ? '' : ` (${r.phase})`}`)
    .join(' · ');
}

export function liveLine(status: SystemStatus, previous: LiveSample | null, now: number): LiveLine {
  const models = status.models;
  const sample = { at: now, delivered: delivered(status) };
  const seconds = previous === null ? 0 : (now - previous.at) / 1000;
  const rate = previous === null || seconds <= 0 ? 0 : (sample.delivered - previous.delivered) / seconds;
  const rejected = status.ingest?.rejected ?? 0;
  const text = [
    `${Math.round(rate).toLocaleString('en-US')} events/s`,
    `${sample.delivered.toLocaleString('en-US')} ingested`,
    `${rejected.toLocaleString('en-US')} rejected`,
    `${models} model${models === 1 ? '' : 's'} trained`,
    trafficText(status),
  ].join(' │ ');
  return { text, sample };
}
