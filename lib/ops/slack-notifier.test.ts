import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { memoryLogger } from './logger.js';
import type { Notice } from './notifier.js';
import { silentNotifier } from './notifier.js';
import type { SlackNotifierOptions } from './slack-notifier.js';
import { createNotifier, createSlackNotifier, retryAfterMs } from './slack-notifier.js';
import type { SlackReceiver } from './test-helpers/slack-receiver.js';
import { startSlackReceiver } from './test-helpers/slack-receiver.js';

const SECRET = 'XyZsecretTOKEN123';
const PATH = `/services/T0001/B0002/${SECRET}`;

const promoted: Notice = {
  kind: 'promoted',
  title: 'Promoted svd-20261204T1700 to champion',
  models: { candidate: 'svd-20261204T1700', champion: 'svdpp-20261203T0900' },
  metrics: { 'hit rate (candidate)': 0.6431, 'hit rate (champion)': 0.6019, 'served (candidate)': 1802 },
  evidence: ['Non-inferiority (margin 0.05): lower bound −0.012 > −0.05, always-valid p = 0.0031.', 'Latency guard: p95 41 ms < 300 ms: ok.'],
};

let receiver: SlackReceiver;
let log: ReturnType<typeof memoryLogger>;
let clock: { t: number; sleeps: number[] };

beforeEach(async () => {
  receiver = await startSlackReceiver();
  log = memoryLogger('DEBUG');
  clock = { t: Date.parse('2026-12-04T17:00:00Z'), sleeps: [] };
});

afterEach(async () => {
  await receiver.close();
  // The webhook URL is a credential: no line, whatever happened, may hold it.
  for (const line of log.lines) expect(JSON.stringify(line)).not.toContain(SECRET);
});

function notifier(more: Partial<SlackNotifierOptions> = {}) {
  return createSlackNotifier({
    webhookUrl: receiver.url(PATH),
    logger: log.logger,
    now: () => clock.t,
    sleep: async (ms) => {
      clock.sleeps.push(ms);
      clock.t += ms;
    },
    random: () => 1,
    maxAttempts: 4,
    baseDelayMs: 1000,
    ...more,
  });
}

const messages = (severity: string) => log.lines.filter((line) => line.severity === severity).map((line) => line.message);

describe('the Slack notifier', () => {
  it('queues without waiting, then posts a Block Kit message to the webhook', async () => {
    const slack = notifier();
    slack.notify(promoted);
    expect(receiver.posts).toHaveLength(0);
    await slack.flush();
    expect(receiver.posts).toHaveLength(1);
    const [post] = receiver.posts;
    expect(post).toMatchObject({ method: 'POST', path: PATH, contentType: 'application/json' });
    const message = JSON.parse(post.body) as { text: string; blocks: Array<{ type: string; text?: { text: string }; fields?: Array<{ text: string }> }> };
    expect(message.text).toBe(':white_check_mark: Promoted svd-20261204T1700 to champion (candidate svd-20261204T1700, champion svdpp-20261203T0900)');
    expect(message.blocks.map((block) => block.type)).toEqual(['header', 'section', 'section', 'section', 'context']);
    expect(message.blocks[0].text?.text).toBe(':white_check_mark: Promoted svd-20261204T1700 to champion');
    expect(message.blocks[1].fields?.map((field) => field.text)).toEqual(['*candidate*\n`svd-20261204T1700`', '*champion*\n`svdpp-20261203T0900`']);
    expect(message.blocks[2].fields?.map((field) => field.text)).toEqual(['*hit rate (candidate)*\n0.6431', '*hit rate (champion)*\n0.6019', '*served (candidate)*\n1802']);
    expect(message.blocks[3].text?.text).toBe(
      '• Non-inferiority (margin 0.05): lower bound −0.012 &gt; −0.05, always-valid p = 0.0031.\n• Latency guard: p95 41 ms &lt; 300 ms: ok.',
    );
    expect(messages('DEBUG')).toEqual(['slack notice delivered']);
  });

  it('retries 500s with exponential backoff and delivers', async () => {
    receiver.answerNext({ status: 500, body: 'oops' }, { status: 502 });
    const slack = notifier();
    slack.notify(promoted);
    await slack.flush();
    expect(receiver.posts).toHaveLength(3);
    expect(clock.sleeps).toEqual([1000, 2000]);
    expect(messages('WARNING')).toEqual(['slack delivery failed; retrying', 'slack delivery failed; retrying']);
    expect(log.lines[0]).toMatchObject({ reason: 'HTTP 500 oops', attempt: 1, kind: 'promoted' });
    expect(messages('ERROR')).toEqual([]);
  });

  it('waits what a 429 Retry-After asks', async () => {
    receiver.answerNext({ status: 429, headers: { 'retry-after': '7' }, body: 'rate_limited' });
    const slack = notifier();
    slack.notify(promoted);
    await slack.flush();
    expect(receiver.posts).toHaveLength(2);
    expect(clock.sleeps).toEqual([7000]);
  });

  it('gives up after maxAttempts with one clear line and no URL in it', async () => {
    receiver.answerNext(...Array.from({ length: 4 }, () => ({ status: 503, body: `down at ${PATH}` })));
    const slack = notifier();
    slack.notify(promoted);
    await slack.flush();
    expect(receiver.posts).toHaveLength(4);
    const [error] = log.lines.filter((line) => line.severity === 'ERROR');
    expect(error).toMatchObject({ message: 'slack unreachable: notice dropped after retries', attempts: 4, kind: 'promoted', reason: 'HTTP 503 down at [webhook]' });
  });

  it('does not retry a refused payload', async () => {
    receiver.answerNext({ status: 400, body: 'invalid_payload' });
    const slack = notifier();
    slack.notify(promoted);
    await slack.flush();
    expect(receiver.posts).toHaveLength(1);
    expect(log.lines.at(-1)).toMatchObject({ severity: 'ERROR', message: 'slack refused the notice; dropped', reason: 'HTTP 400 invalid_payload' });
  });

  it('says Slack is unreachable when nothing listens, and never blocks the caller', async () => {
    const url = receiver.url(PATH);
    await receiver.close();
    receiver = await startSlackReceiver();
    const slack = notifier({ webhookUrl: url, maxAttempts: 2 });
    expect(() => slack.notify(promoted)).not.toThrow();
    await slack.flush();
    expect(messages('ERROR')).toEqual(['slack unreachable: notice dropped after retries']);
    expect(String(log.lines.at(-1)?.reason)).toContain('fetch failed');
  });

  it('keeps to the rate limit, in order', async () => {
    const slack = notifier({ ratePerMinute: 2 });
    for (const title of ['one', 'two', 'three']) slack.notify({ kind: 'quality-alert', title });
    await slack.flush();
    expect(receiver.posts.map((post) => (JSON.parse(post.body) as { text: string }).text)).toEqual([':warning: one', ':warning: two', ':warning: three']);
    expect(clock.sleeps).toEqual([60_000]);
  });

  it('drops the oldest waiting notice when the queue is full', async () => {
    const slack = notifier({ maxQueue: 2 });
    for (const title of ['a', 'b', 'c', 'd']) slack.notify({ kind: 'training-failed', title });
    await slack.flush();
    expect(receiver.posts.map((post) => (JSON.parse(post.body) as { text: string }).text)).toEqual([':x: a', ':x: c', ':x: d']);
    expect(messages('WARNING')).toEqual(['slack queue full: oldest notice dropped']);
  });
});

describe('retryAfterMs', () => {
  it('reads seconds and HTTP dates', () => {
    const now = Date.parse('2026-12-04T17:00:00Z');
    expect(retryAfterMs('30', now)).toBe(30_000);
    expect(retryAfterMs('Fri, 04 Dec 2026 17:00:05 GMT', now)).toBe(5000);
    expect(retryAfterMs('Fri, 04 Dec 2026 16:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(null, now)).toBeUndefined();
  });
});

describe('createNotifier', () => {
  it('is silent without a webhook URL', () => {
    expect(createNotifier({ SLACK_WEBHOOK_URL: undefined }, log.logger)).toBe(silentNotifier);
  });

  it('posts to the configured webhook', async () => {
    const slack = createNotifier({ SLACK_WEBHOOK_URL: receiver.url(PATH) }, log.logger);
    slack.notify({ kind: 'rolled-back', title: 'Rolled back svd-x' });
    await slack.flush();
    expect(receiver.posts).toHaveLength(1);
  });
});
