import { describe, expect, it } from 'vitest';
import { memoryLogger } from '../lib/ops/logger.js';
import { IngressError } from './ingress-error.js';
import { createLineBatcher } from './line-batcher.js';
import { until } from './test-helpers/stand-in-ingress.js';

type Post = (body: string, count: number) => Promise<void>;

function batcher(post: Post, maxBufferedLines = 1_000) {
  const { logger, lines: logs } = memoryLogger();
  const sent: string[] = [];
  const lineBatcher = createLineBatcher({
    post: async (body, count) => {
      await post(body, count);
      sent.push(...body.split('\n'));
    },
    batchLines: 3,
    flushMs: 5,
    maxBufferedLines,
    logger,
    baseDelayMs: 1,
    maxDelayMs: 4,
    random: () => 0.5,
  });
  return { lineBatcher, sent, logs };
}

const unavailable = (): IngressError => new IngressError('http://127.0.0.1:1/streams/movielog', 'HTTP 503', { status: 503, retriable: true });

describe('the line batcher', () => {
  it('sends lines in order, in batches of at most batchLines, flushing the rest on time', async () => {
    const counts: number[] = [];
    const { lineBatcher, sent } = batcher(async (_body, count) => void counts.push(count));
    for (let k = 0; k < 7; k++) lineBatcher.push(`line ${k}`);
    await until(() => sent.length === 7);
    expect(sent).toEqual(Array.from({ length: 7 }, (_, k) => `line ${k}`));
    expect(Math.max(...counts)).toBeLessThanOrEqual(3);
    await lineBatcher.close(100);
    expect(lineBatcher.stats()).toEqual({ posted: 7, dropped: 0, retried: 0, buffered: 0 });
  });

  it('retries retriable failures until the stream takes the lines, keeping their order', async () => {
    let failures = 4;
    const { lineBatcher, sent, logs } = batcher(async () => {
      if (failures-- > 0) throw unavailable();
    });
    for (let k = 0; k < 5; k++) lineBatcher.push(`line ${k}`);
    await until(() => sent.length === 5);
    expect(sent).toEqual(['line 0', 'line 1', 'line 2', 'line 3', 'line 4']);
    expect(lineBatcher.stats().retried).toBe(4);
    expect(logs.map((l) => l.message)).toContain('cannot send lines to the stream; retrying');
    await lineBatcher.close(100);
  });

  it('drops a batch the ingress refuses for good, with an error log, and goes on', async () => {
    const { lineBatcher, sent, logs } = batcher(async (body) => {
      if (body.startsWith('bad')) throw new IngressError('http://x/streams/t', 'HTTP 400 bad topic', { status: 400 });
    });
    for (const line of ['bad 0', 'bad 1', 'bad 2', 'good 3']) lineBatcher.push(line);
    await lineBatcher.close(100);
    expect(sent).toEqual(['good 3']);
    expect(lineBatcher.stats()).toMatchObject({ posted: 1, dropped: 3 });
    expect(logs.find((l) => l.severity === 'ERROR')?.message).toMatch(/dropped 3 line\(s\): .*HTTP 400 bad topic/);
  });

  it('says when it is full, and at close gives up on what the stream still refuses after the timeout', async () => {
    const { lineBatcher, logs } = batcher(async () => {
      throw unavailable();
    }, 4);
    for (let k = 0; k < 4; k++) lineBatcher.push(`line ${k}`);
    expect(lineBatcher.full()).toBe(true);
    await lineBatcher.close(20);
    expect(lineBatcher.stats()).toMatchObject({ posted: 0, dropped: 4, buffered: 0 });
    expect(lineBatcher.full()).toBe(false);
    expect(logs.some((l) => /still unreachable when the audience stopped/.test(String(l.message)))).toBe(true);
  });

  it('holds no timer until the first line', async () => {
    const { lineBatcher } = batcher(async () => undefined);
    await lineBatcher.close(0);
    expect(lineBatcher.stats()).toEqual({ posted: 0, dropped: 0, retried: 0, buffered: 0 });
  });
});
