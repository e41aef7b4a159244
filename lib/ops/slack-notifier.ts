import type { Logger } from './logger.js';
import type { Notice, Notifier } from './notifier.js';
import { silentNotifier } from './notifier.js';
import { slackMessage } from './slack-blocks.js';

/**
 * Notices to a Slack incoming webhook. `notify` queues and returns at once;
 * one worker sends the queue in order, so a Slack outage never holds up the
 * caller (a rollout decision is taken and acted on whatever Slack does).
 *
 * Delivery: POST the Block Kit message (slack-blocks.ts) as JSON. Network
 * errors, timeouts, 408, 429 and 5xx are retried up to `maxAttempts` times
 * with exponential backoff and jitter, base·2^k · (½ … 1), capped at
 * `maxDelayMs`; a 429 or 503 with `Retry-After` (seconds or an HTTP date)
 * waits that long instead (capped at `maxRetryAfterMs`). Other 4xx are not
 * retried (Slack answers `invalid_payload`, `no_service`: a retry cannot fix
 * them). A notice given up on is dropped with one ERROR line saying Slack is
 * unreachable. Rate limit: at most `ratePerMinute` posts in any 60 s (Slack
 * allows about one message per second per webhook); the queue holds at most
 * `maxQueue` notices, the oldest dropped (and logged) beyond that.
 *
 * The webhook URL is a secret: it is never logged, and error texts are
 * scrubbed of it before they are.
 */
export interface SlackNotifierOptions {
  readonly webhookUrl: string;
  readonly logger: Logger;
  readonly fetch?: typeof fetch;
  /** Milliseconds since the epoch (tests pass a fake clock that `sleep` advances). */
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  readonly maxAttempts?: number;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly maxRetryAfterMs?: number;
  readonly ratePerMinute?: number;
  readonly maxQueue?: number;
  readonly requestTimeoutMs?: number;
}

type Outcome = { readonly ok: true } | { readonly ok: false; readonly retry: boolean; readonly reason: string; readonly waitMs?: number };

const RETRIABLE_STATUS = new Set([408, 429]);
const WINDOW_MS = 60_000;

/** Milliseconds a `Retry-After` header asks for (delta-seconds or an HTTP date), or undefined. */
export function retryAfterMs(header: string | null, now: number): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export function createSlackNotifier(options: SlackNotifierOptions): Notifier {
  const { webhookUrl, logger } = options;
  const doFetch = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = options.random ?? Math.random;
  const maxAttempts = options.maxAttempts ?? 5;
  const baseDelayMs = options.baseDelayMs ?? 1000;
  const maxDelayMs = options.maxDelayMs ?? 30_000;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 120_000;
  const ratePerMinute = options.ratePerMinute ?? 30;
  const maxQueue = options.maxQueue ?? 100;
  const requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
  const secretParts = [webhookUrl, safePath(webhookUrl)].filter((part) => part.length > 1);
  const scrub = (text: string): string => secretParts.reduce((out, part) => out.split(part).join('[webhook]'), text);

  const queue: Notice[] = [];
  const sent: number[] = [];
  let worker: Promise<void> | null = null;

  async function waitForRate(): Promise<void> {
    for (;;) {
      const t = now();
      while (sent.length > 0 && sent[0] <= t - WINDOW_MS) sent.shift();
      if (sent.length < ratePerMinute) return;
      await sleep(sent[0] + WINDOW_MS - t);
    }
  }

  async function post(body: string): Promise<Outcome> {
    try {
      const response = await doFetch(webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        signal: AbortSignal.timeout(requestTimeoutMs),
      });
      const text = scrub((await response.text()).slice(0, 200));
      if (response.ok) return { ok: true };
      const retry = response.status >= 500 || RETRIABLE_STATUS.has(response.status);
      return { ok: false, retry, reason: `HTTP ${response.status}${text ? ` ${text}` : ''}`, waitMs: retryAfterMs(response.headers.get('retry-after'), now()) };
    } catch (error) {
      return { ok: false, retry: true, reason: scrub(describe(error)) };
    }
  }

  async function deliver(notice: Notice): Promise<void> {
    const fields = { kind: notice.kind, title: notice.title };
    let body: string;
    try {
      body = JSON.stringify(slackMessage(notice));
    } catch (error) {
      logger.error('slack notice could not be built; dropped', { ...fields, reason: scrub(describe(error)) });
      return;
    }
    let last: Outcome = { ok: false, retry: true, reason: 'not sent' };
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      await waitForRate();
      sent.push(now());
      last = await post(body);
      if (last.ok) {
        logger.debug('slack notice delivered', { ...fields, attempts: attempt });
        return;
      }
      if (!last.retry) {
        logger.error('slack refused the notice; dropped', { ...fields, attempts: attempt, reason: last.reason });
        return;
      }
      if (attempt === maxAttempts) break;
      const backoff = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1)) * (0.5 + random() / 2);
      const wait = last.waitMs === undefined ? backoff : Math.min(maxRetryAfterMs, last.waitMs);
      logger.warning('slack delivery failed; retrying', { ...fields, attempt, reason: last.reason, retryInMs: Math.round(wait) });
      await sleep(wait);
    }
    logger.error('slack unreachable: notice dropped after retries', { ...fields, attempts: maxAttempts, reason: last.ok ? '' : last.reason });
  }

  async function drain(): Promise<void> {
    for (let notice = queue.shift(); notice !== undefined; notice = queue.shift()) {
      try {
        await deliver(notice);
      } catch (error) {
        // Never an unhandled rejection: a notifier must not take the process down.
        logger.error('slack notice dropped on an unexpected error', { kind: notice.kind, reason: scrub(describe(error)) });
      }
    }
  }

  function start(): void {
    if (worker !== null) return;
    worker = drain().finally(() => {
      worker = null;
      if (queue.length > 0) start();
    });
  }

  return {
    notify(notice) {
      if (queue.length >= maxQueue) {
        const dropped = queue.shift();
        logger.warning('slack queue full: oldest notice dropped', { kind: dropped?.kind, title: dropped?.title, maxQueue });
      }
      queue.push(notice);
      start();
    },
    async flush() {
      while (worker !== null) await worker;
    },
  };
}

/** Slack configured: a Slack notifier; not configured: the silent one. */
export function createNotifier(config: { readonly SLACK_WEBHOOK_URL?: string | undefined }, logger: Logger): Notifier {
  if (config.SLACK_WEBHOOK_URL === undefined) return silentNotifier;
  return createSlackNotifier({ webhookUrl: config.SLACK_WEBHOOK_URL, logger: logger.child({ component: 'slack' }) });
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.name}: ${error.message}${cause}`;
}

function safePath(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}
