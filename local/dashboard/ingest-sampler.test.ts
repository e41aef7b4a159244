import { describe, expect, it } from 'vitest';
import type { IngestStats } from '../ingest-stats.js';
import { createIngestSampler, ingestRates } from './ingest-sampler.js';

const stats = (records: number, rejected = 0, duplicates = 0): IngestStats => ({ records, duplicates, rejected, rejectsByReason: {}, commits: 0 });

describe('ingestRates', () => {
  it('divides the growth of each count by the seconds between samples', () => {
    const rates = ingestRates([
      { at: 0, records: 100, duplicates: 0, rejected: 10 },
      { at: 2000, records: 900, duplicates: 4, rejected: 30 },
      { at: 6000, records: 1300, duplicates: 4, rejected: 30 },
    ]);
    expect(rates).toEqual([
      { at: '1970-01-01T00:00:02.000Z', recordsPerSecond: 400, duplicatesPerSecond: 2, rejectedPerSecond: 10 },
      { at: '1970-01-01T00:00:06.000Z', recordsPerSecond: 100, duplicatesPerSecond: 0, rejectedPerSecond: 0 },
    ]);
  });

  it('gives no rate across a restart of ingest (counts going down) or between samples at the same time', () => {
    expect(ingestRates([
      { at: 0, records: 500, duplicates: 0, rejected: 5 },
      { at: 2000, records: 20, duplicates: 0, rejected: 0 },
      { at: 2000, records: 30, duplicates: 0, rejected: 0 },
      { at: 4000, records: 60, duplicates: 0, rejected: 0 },
    ]).map((r) => [r.at, r.recordsPerSecond])).toEqual([['1970-01-01T00:00:04.000Z', 15]]);
  });
});

describe('createIngestSampler', () => {
  it('keeps the last N samples, skipping the times ingest did not answer', async () => {
    const answers = [stats(0), null, stats(10), stats(30), stats(60)];
    let clock = 0;
    const sampler = createIngestSampler({ read: async () => answers.shift() ?? null, keep: 3, now: () => (clock += 1000) });
    for (let k = 0; k < 5; k++) await sampler.sample();
    // Kept: 10 @3 s, 30 @4 s, 60 @5 s (the first sample fell out of the ring).
    expect(sampler.rates().map((r) => r.recordsPerSecond)).toEqual([20, 30]);
  });
});
