import { describe, expect, it } from 'vitest';
import { memoryLogger, silentLogger } from '../../lib/ops/logger.js';
import type { RunOutcome, RunRequest, TrainerOptions } from './trainer.js';
import { createTrainer } from './trainer.js';

/** A run function whose runs end when the test says so, recording what each was asked. */
function controlledRuns() {
  const requests: RunRequest[] = [];
  const endings: Array<(outcome: RunOutcome | Error) => void> = [];
  const run = (request: RunRequest) =>
    new Promise<RunOutcome>((resolve, reject) => {
      requests.push(request);
      endings.push((outcome) => (outcome instanceof Error ? reject(outcome) : resolve(outcome)));
    });
  /** End run n (1-based) once it has started. */
  const end = async (n: number, outcome: RunOutcome | Error) => {
    for (let i = 0; i < 200 && endings.length < n; i++) await new Promise((resolve) => setImmediate(resolve));
    endings[n - 1](outcome);
  };
  return { requests, run, end };
}

const TRAINED: RunOutcome = { status: 'trained', interactions: 1000 };
const options = (run: TrainerOptions['run'], logger = silentLogger): TrainerOptions => ({
  run,
  algorithms: ['svd', 'svdpp'],
  minInteractions: 200,
  newDataThreshold: 500,
  logger,
});

describe('createTrainer', () => {
  it('runs one request at a time and coalesces the ones that arrive meanwhile into exactly one more run', async () => {
    const runs = controlledRuns();
    const trainer = createTrainer(options(runs.run));
    expect(trainer.request({ reason: 'manual', algorithms: ['svd'] })).toEqual({ run: 'started' });
    expect(trainer.request({ reason: 'schedule', algorithms: ['svdpp'] })).toEqual({ run: 'coalesced' });
    expect(trainer.request({ reason: 'manual', algorithms: ['als'] })).toEqual({ run: 'coalesced' });
    expect(trainer.state()).toMatchObject({ running: true, pending: true, runs: 1 });
    await runs.end(1, TRAINED);
    await runs.end(2, TRAINED);
    await trainer.idle();
    expect(runs.requests).toEqual([
      { reason: 'manual', algorithms: ['svd'] },
      { reason: 'schedule, manual', algorithms: ['svdpp', 'als'] },
    ]);
    expect(trainer.state()).toMatchObject({ running: false, pending: false, runs: 2, trained: true });
  });

  it('logs a failed run with its reason and keeps going', async () => {
    const runs = controlledRuns();
    const { logger, lines } = memoryLogger();
    const trainer = createTrainer(options(runs.run, logger));
    trainer.request({ reason: 'manual', algorithms: ['svd'] });
    await runs.end(1, new Error('events store unreachable'));
    await trainer.idle();
    expect(lines).toEqual([expect.objectContaining({ severity: 'ERROR', message: 'training run failed', run: 1, reason: 'manual' })]);
    expect(lines[0].error).toMatchObject({ message: 'events store unreachable' });
    expect(trainer.request({ reason: 'manual', algorithms: ['svd'] })).toEqual({ run: 'started' });
    await runs.end(2, TRAINED);
    await trainer.idle();
    expect(trainer.state()).toMatchObject({ runs: 2, failed: 1, trained: true });
  });

  it('before any model: new data runs at once, then waits until the store likely holds min_interactions', async () => {
    const runs = controlledRuns();
    const trainer = createTrainer(options(runs.run));
    expect(trainer.newData(10)).toEqual({ run: 'started' });
    expect(trainer.newData(10)).toEqual({ run: 'skipped', reason: 'the first run is still going' });
    await runs.end(1, { status: 'skipped', interactions: 120 });
    await trainer.idle();
    expect(trainer.newData(50)).toMatchObject({ run: 'skipped', reason: 'about 180 interactions stored, below min_interactions 200' });
    expect(trainer.newData(30)).toEqual({ run: 'started' });
    await runs.end(2, TRAINED);
    expect(runs.requests[1]).toEqual({ reason: 'new-data', algorithms: ['svd', 'svdpp'] });
    await trainer.idle();
    expect(trainer.state()).toMatchObject({ runs: 2, trained: true, newRecords: 0 });
  });

  it('after a model: new data runs once new_data_threshold records arrived since the last run began', async () => {
    const runs = controlledRuns();
    const trainer = createTrainer(options(runs.run));
    trainer.request({ reason: 'manual', algorithms: ['svd'] });
    expect(trainer.newData(300)).toMatchObject({ run: 'skipped' });
    await runs.end(1, TRAINED);
    await trainer.idle();
    expect(trainer.newData(100)).toEqual({ run: 'skipped', reason: '400 new records since the last run, below new_data_threshold 500' });
    expect(trainer.newData(100)).toEqual({ run: 'started' });
    expect(trainer.newData(600)).toEqual({ run: 'coalesced' });
    await runs.end(2, TRAINED);
    await runs.end(3, TRAINED);
    await trainer.idle();
    expect(trainer.state()).toMatchObject({ runs: 3, newRecords: 0 });
    expect(trainer.newData(499)).toMatchObject({ run: 'skipped' });
  });
});
