import type { Logger } from '../lib/ops/logger.js';
import type { AudienceInput, AudienceOptions } from './audience-options.js';
import { parseAudienceOptions } from './audience-options.js';
import { createLineBatcher } from './line-batcher.js';
import { postLines } from './post-lines.js';
import { requestRecommendations } from './recommend-request.js';
import type { SessionContext, SessionCounters } from './session.js';
import { runSession } from './session.js';
import type { AudienceWorld } from './world.js';
import { createWorld } from './world.js';

/**
 * The simulated audience: a seeded world of users with hidden tastes
 * (world.ts) who visit at `sessionsPerSecond × speed`, ask the ingress for
 * recommendations, watch and rate (session.ts, behaviour.ts), and whose
 * course log lines go to `POST /streams/<topic>` in batches (line-batcher.ts).
 *
 * Pacing: every tick, sessions due since the last tick are started, up to
 * `maxConcurrentSessions` waiting on the ingress at once; due sessions that
 * cannot start yet carry over, at most one second's worth (beyond that the
 * schedule slips rather than bursting later). No session starts while the
 * line buffer is full. Never prints: it logs through `logger`.
 */
export interface AudienceStats extends Readonly<SessionCounters> {
  /** Lines the stream has accepted. */
  readonly posted: number;
  /** Lines given up on (refused by the ingress, or still unsent at stop). */
  readonly dropped: number;
  /** Lines waiting to be sent. */
  readonly buffered: number;
}

export interface Audience {
  /** The world's truth, for judging models. */
  readonly world: AudienceWorld;
  readonly options: AudienceOptions;
  /** Start the sessions (again a no-op). */
  start(): void;
  /** Start no more sessions, let running ones finish, deliver what is buffered (bounded by `stopTimeoutMs`). */
  stop(): Promise<void>;
  stats(): AudienceStats;
}

export interface AudienceDeps {
  readonly logger: Logger;
  readonly fetch?: typeof globalThis.fetch;
  /** Wall clock for timestamps and latencies, ms since the epoch (default Date.now). */
  readonly clock?: () => number;
}

const MIN_TICK_MS = 5;
const MAX_TICK_MS = 100;

export function createAudience(input: AudienceInput & AudienceDeps): Audience {
  const { logger, fetch: fetchInput, clock: clockInput, ...rest } = input;
  const options = parseAudienceOptions(rest);
  const fetchImpl = fetchInput ?? globalThis.fetch;
  const clock = clockInput ?? Date.now;
  const world = createWorld(options);
  const counters: SessionCounters = {
    sessions: 0,
    requests: 0,
    requestErrors: 0,
    lines: 0,
    watched: 0,
    rated: 0,
    accounts: 0,
    fromRecommendations: 0,
  };
  const postOptions = { fetch: fetchImpl, ingressUrl: options.ingressUrl, topic: options.topic, timeoutMs: 30_000 };
  const batcher = createLineBatcher({
    post: (body, count) => postLines(postOptions, body, count),
    batchLines: options.batchLines,
    flushMs: options.flushMs,
    maxBufferedLines: options.maxBufferedLines,
    logger,
  });
  const recommendOptions = {
    fetch: fetchImpl,
    ingressUrl: options.ingressUrl,
    host: options.host,
    timeoutMs: options.requestTimeoutMs,
    clock,
  };
  const context: SessionContext = {
    world,
    options,
    clock,
    recommend: (user) => requestRecommendations(recommendOptions, user),
    write: (line) => batcher.push(line),
    counters,
  };

  const rate = options.sessionsPerSecond * options.speed;
  const tickMs = Math.min(MAX_TICK_MS, Math.max(MIN_TICK_MS, 1000 / rate));
  const limit = options.maxSessions ?? Number.POSITIVE_INFINITY;
  const running = new Set<Promise<void>>();
  let started = 0;
  let credit = 1; // the first session starts at once
  let last = 0;
  let timer: NodeJS.Timeout | undefined;
  let state: 'new' | 'running' | 'stopped' = 'new';
  let stopping: Promise<void> | undefined;
  let paused = false;

  function launch(): void {
    const k = started++;
    const session = runSession(context, k)
      .catch((error: unknown) => logger.error('a simulated session failed', { session: k, error }))
      .finally(() => running.delete(session));
    running.add(session);
  }

  function tick(): void {
    const now = performance.now();
    credit = Math.min(credit + ((now - last) / 1000) * rate, Math.max(1, rate));
    last = now;
    if (batcher.full() !== paused) {
      paused = !paused;
      if (paused) logger.warning('line buffer full: no new sessions until the stream takes lines again', { ...batcher.stats() });
    }
    while (!paused && credit >= 1 && started < limit && running.size < options.maxConcurrentSessions) {
      credit -= 1;
      launch();
    }
    timer = setTimeout(tick, tickMs);
  }

  return {
    world,
    options,
    start() {
      if (state !== 'new') return;
      state = 'running';
      last = performance.now();
      logger.info('audience started', { users: world.users, movies: world.movies, sessionsPerSecond: rate, topic: options.topic });
      tick();
    },
    stop() {
      stopping ??= (async () => {
        state = 'stopped';
        clearTimeout(timer);
        while (running.size > 0) await Promise.all([...running]);
        await batcher.close(options.stopTimeoutMs);
        logger.info('audience stopped', { ...counters, ...batcher.stats() });
      })();
      return stopping;
    },
    stats: () => {
      const { posted, dropped, buffered } = batcher.stats();
      return { ...counters, posted, dropped, buffered };
    },
  };
}
