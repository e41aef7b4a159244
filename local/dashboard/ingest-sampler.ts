import type { IngestStats } from '../ingest-stats.js';
import type { IngestRate } from './dashboard-data.js';

/**
 * Ingest's counts sampled every few seconds into a small ring, so the page
 * can chart a rate. A sample whose counts went down (ingest restarted and
 * counts from zero again) starts a new run: no rate across it.
 */

export interface IngestSample {
  /** Epoch milliseconds. */
  readonly at: number;
  readonly records: number;
  readonly duplicates: number;
  readonly rejected: number;
}

export interface IngestSamplerOptions {
  /** The counts now; null when ingest does not answer (no sample is taken). */
  readonly read: () => Promise<IngestStats | null>;
  /** Default 2 s. */
  readonly everyMs?: number;
  /** Samples kept. Default 150 (5 minutes at 2 s). */
  readonly keep?: number;
  readonly now?: () => number;
}

export interface IngestSampler {
  /** Take one sample now (the timer calls this). */
  sample(): Promise<void>;
  /** Rates between consecutive samples, oldest first. */
  rates(): IngestRate[];
  start(): void;
  stop(): void;
}

export function ingestRates(samples: readonly IngestSample[]): IngestRate[] {
  const rates: IngestRate[] = [];
  for (let k = 1; k < samples.length; k++) {
    const before = samples[k - 1];
    const after = samples[k];
    const seconds = (after.at - before.at) / 1000;
    const restarted = after.records < before.records || after.duplicates < before.duplicates || after.rejected < before.rejected;
    if (seconds <= 0 || restarted) continue;
    rates.push({
      at: new Date(after.at).toISOString(),
      recordsPerSecond: (after.records - before.records) / seconds,
      duplicatesPerSecond: (after.duplicates - before.duplicates) / seconds,
      rejectedPerSecond: (after.rejected - before.rejected) / seconds,
    });
  }
  return rates;
}

export function createIngestSampler(options: IngestSamplerOptions): IngestSampler {
  const keep = options.keep ?? 150;
  const now = options.now ?? Date.now;
  const samples: IngestSample[] = [];
  let timer: NodeJS.Timeout | undefined;
  let busy = false;

  const sample = async (): Promise<void> => {
    if (busy) return;
    busy = true;
    try {
      const stats = await options.read();
      if (stats === null) return;
      samples.push({ at: now(), records: stats.records, duplicates: stats.duplicates, rejected: stats.rejected });
      if (samples.length > keep) samples.splice(0, samples.length - keep);
    } finally {
      busy = false;
    }
  };

  return {
    sample,
    rates: () => ingestRates(samples),
    start() {
      if (timer !== undefined) return;
      timer = setInterval(() => void sample().catch(() => undefined), options.everyMs ?? 2000);
      timer.unref();
    },
    stop() {
      clearInterval(timer);
      timer = undefined;
    },
  };
}
