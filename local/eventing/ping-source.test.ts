import { describe, expect, it } from 'vitest';
import { PING_TYPE } from '../../lib/messaging/event-types.js';
import { silentLogger } from '../../lib/ops/logger.js';
import { ScheduleClock } from './clock.js';
import { parseCron } from './cron.js';
import { createPingSource, pingEvent } from './ping-source.js';
import { ManualClock } from './test-helpers/manual-clock.js';
import { recordingDeliverer } from './test-helpers/recording-deliverer.js';

const schedule = (text: string) => {
  const parsed = parseCron(text);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.schedule;
};
const START = Date.parse('2026-11-26T10:00:30Z');

function setup(text: string, speed: number) {
  const base = new ManualClock(START);
  const deliverer = recordingDeliverer();
  const source = createPingSource({
    namespace: 'movierec', name: 'evaluation-tick', schedule: schedule(text), contentType: 'application/json', data: '{"reason":"schedule"}',
    sink: { name: 'default', url: () => 'http://127.0.0.1:1/movierec/default' }, deliverer,
    clock: new ScheduleClock(base, speed), setTimer: (fn, ms) => base.setTimer(fn, ms), logger: silentLogger,
  });
  return { base, deliverer, source, times: () => deliverer.jobs.map((job) => job.events[0].time) };
}

describe('ScheduleClock', () => {
  it('runs speed times faster from its origin', () => {
    const base = new ManualClock(START);
    const clock = new ScheduleClock(base, 60);
    base.advance(1000);
    expect(clock.now()).toBe(START + 60_000);
    expect(clock.realDelay(START + 120_000)).toBe(1000);
    expect(() => new ScheduleClock(base, 0)).toThrow(RangeError);
  });
});

describe('createPingSource', () => {
  it('with speed 60 fires */5 every 5 real seconds, stamped with the scheduled minute', async () => {
    const { base, source, times } = setup('*/5 * * * *', 60);
    source.start();
    expect(source.status()).toMatchObject({ kind: 'PingSource', schedule: '*/5 * * * *', next: '2026-11-26T10:05:00.000Z', fired: 0 });
    base.advance(4000); // schedule time 10:04:30
    expect(times()).toEqual([]);
    base.advance(500); // 10:05:00
    base.advance(5000); // 10:10:00
    base.advance(10_000); // 10:20:00
    expect(times()).toEqual(['2026-11-26T10:05:00.000Z', '2026-11-26T10:10:00.000Z', '2026-11-26T10:15:00.000Z', '2026-11-26T10:20:00.000Z']);
    expect(source.status()).toMatchObject({ fired: 4, next: '2026-11-26T10:25:00.000Z' });
    await source.stop();
    expect(base.pending).toBe(0);
    expect(source.status().next).toBeNull();
  });

  it('at speed 1 waits real minutes', () => {
    const { base, source, times } = setup('0 */6 * * *', 1);
    source.start();
    base.advance(2 * 3_600_000 - 30_000 - 1); // 11:59:59.999
    expect(times()).toEqual([]);
    base.advance(1);
    expect(times()).toEqual(['2026-11-26T12:00:00.000Z']);
  });

  it('sends the ping event Knative sends, JSON data as JSON', () => {
    const { base, deliverer, source } = setup('* * * * *', 1);
    source.start();
    base.advance(30_000);
    const [job] = deliverer.jobs;
    expect(job.subscriber.name).toBe('default');
    expect(job.events[0]).toMatchObject({
      type: PING_TYPE,
      source: '/apis/v1/namespaces/movierec/pingsources/evaluation-tick',
      datacontenttype: 'application/json',
      data: { reason: 'schedule' },
      time: '2026-11-26T10:01:00.000Z',
    });
  });

  it('keeps data that is not JSON as text', () => {
    const event = pingEvent({ namespace: 'ns', name: 'p', contentType: 'text/plain', data: 'hello' }, START);
    expect(event).toMatchObject({ datacontenttype: 'text/plain', data: 'hello', source: '/apis/v1/namespaces/ns/pingsources/p' });
  });
});
