import type { CloudEvent } from 'cloudevents';
import { describe, expect, it } from 'vitest';
import { DATA_APPENDED, DataAppendedSchema } from '../../lib/messaging/events/data-appended.js';
import { memoryLogger, silentLogger } from '../../lib/ops/logger.js';
import { AppendedCounter, startAppendedReports } from './appended-report.js';
import { until } from './test-helpers/ingest-fixtures.js';

/** A clock that moves one minute per reading, from 10:00. */
function minutes(): () => Date {
  let m = 0;
  return () => new Date(Date.UTC(2026, 10, 26, 10, m++));
}

describe('AppendedCounter', () => {
  it('reports nothing until something is appended', () => {
    expect(new AppendedCounter(minutes()).take()).toBeUndefined();
  });

  it('reports durable records by kind since the last report, rejects apart, dead letters left out', () => {
    const counter = new AppendedCounter(minutes());
    counter.add('watch', { stored: 40, duplicates: 2 });
    counter.add('watch', { stored: 2, duplicates: 0 });
    counter.add('rejects', { stored: 3, duplicates: 1 });
    counter.add('served', { stored: 5, duplicates: 0 });
    counter.add('dead_letter', { stored: 7, duplicates: 0 });
    expect(counter.take()).toEqual({
      stored: { watch: 42, rate: 0, request: 0, create_account: 0, served: 5 },
      duplicates: 3,
      rejected: 3,
      since: '2026-11-26T10:00:00.000Z',
    });
    counter.add('rate', { stored: 1, duplicates: 0 });
    expect(counter.take()).toMatchObject({ stored: { watch: 0, rate: 1 }, duplicates: 0, rejected: 0, since: '2026-11-26T10:01:00.000Z' });
    counter.add('dead_letter', { stored: 1, duplicates: 0 });
    expect(counter.take()).toBeUndefined();
  });
});

function capture() {
  const events: Array<CloudEvent<unknown>> = [];
  return { events, sender: { enqueue: (event: CloudEvent<unknown>) => events.push(event), flush: () => Promise.resolve() } };
}

describe('startAppendedReports', () => {
  it('sends the counts as an io.movierec.data.appended.v1 event from /movierec/ingest, and logs them', async () => {
    const counter = new AppendedCounter(minutes());
    const { events, sender } = capture();
    const log = memoryLogger();
    const reports = startAppendedReports({ counter, sender, everyMs: 3_600_000, logger: log.logger, now: () => new Date('2026-11-26T11:00:00.000Z') });
    await reports.report();
    expect(events).toEqual([]);
    counter.add('watch', { stored: 3, duplicates: 0 });
    await reports.report();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: DATA_APPENDED, source: '/movierec/ingest', time: '2026-11-26T11:00:00.000Z' });
    expect(DataAppendedSchema.parse(events[0].data)).toMatchObject({ stored: { watch: 3 }, rejected: 0 });
    expect(log.lines).toMatchObject([{ severity: 'INFO', message: 'appended', stored: { watch: 3 } }]);
    await reports.stop();
  });

  it('reports on its timer, and once more when stopped', async () => {
    const counter = new AppendedCounter();
    const { events, sender } = capture();
    const reports = startAppendedReports({ counter, sender, everyMs: 10, logger: silentLogger });
    counter.add('rate', { stored: 1, duplicates: 0 });
    await until(() => events.length === 1, 'a timed report');
    counter.add('rate', { stored: 2, duplicates: 0 });
    await reports.stop();
    expect(events.map((e) => DataAppendedSchema.parse(e.data).stored.rate)).toEqual([1, 2]);
  });

  it('never reports when the period is 0', async () => {
    const counter = new AppendedCounter();
    const { events, sender } = capture();
    const reports = startAppendedReports({ counter, sender, everyMs: 0, logger: silentLogger });
    counter.add('watch', { stored: 1, duplicates: 0 });
    await reports.stop();
    expect(events).toEqual([]);
  });
});
