import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../lib/ops/logger.js';
import { parseLine } from '../lib/stream/parse-line.js';
import type { CourseEvent } from '../lib/stream/events.js';
import type { Audience, AudienceDeps } from './audience.js';
import { createAudience } from './audience.js';
import type { AudienceInput } from './audience-options.js';
import type { Answer, StandInIngress, StandInOptions } from './test-helpers/stand-in-ingress.js';
import { startStandInIngress, until } from './test-helpers/stand-in-ingress.js';
import { createWorld } from './world.js';

const servers: StandInIngress[] = [];
const audiences: Audience[] = [];

afterEach(async () => {
  await Promise.all(audiences.splice(0).map((a) => a.stop()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function ingress(options: StandInOptions = {}): Promise<StandInIngress> {
  const server = await startStandInIngress(options);
  servers.push(server);
  return server;
}

/** A clock that moves 7 ms per reading from a fixed instant: timestamps and latencies repeat run to run. */
function steppingClock(): () => number {
  let t = Date.UTC(2026, 0, 5, 10, 0, 0);
  return () => (t += 7);
}

const WORLD = { seed: 7, users: 300, movies: 400 } as const;

/** Run `sessions` sessions to the end and stop; the lines the stand-in received. */
async function runAudience(server: StandInIngress, input: Partial<AudienceInput & AudienceDeps>, sessions: number): Promise<string[]> {
  const audience = createAudience({
    ...WORLD,
    ingressUrl: server.url,
    sessionsPerSecond: 5_000,
    maxSessions: sessions,
    flushMs: 10,
    logger: silentLogger,
    ...input,
  });
  audiences.push(audience);
  audience.start();
  await until(() => audience.stats().sessions === sessions, 10_000, `${sessions} sessions`);
  await audience.stop();
  const stats = audience.stats();
  expect(stats.posted).toBe(stats.lines);
  return server.lines(audience.options.topic);
}

function events(lines: readonly string[]): CourseEvent[] {
  return lines.map((line) => {
    const parsed = parseLine(line);
    if (!parsed.ok) throw new Error(`${line}: ${parsed.reason}: ${parsed.detail}`);
    return parsed.event;
  });
}

const served = (ids: readonly string[]): Answer => ({ status: 200, body: ids.join(',') });

describe('the simulated audience', () => {
  it('writes the same lines for the same seed (injected clock, stand-in ingress), other lines for another', async () => {
    const world = createWorld(WORLD);
    const server = await ingress({ recommend: (user) => served(world.topMovies(user, 20)) });
    const run = (seed: number, topic: string) =>
      runAudience(server, { seed, topic, clock: steppingClock(), maxConcurrentSessions: 1 }, 60);
    const first = await run(7, 'first');
    const second = await run(7, 'second');
    const other = await run(8, 'other');
    expect(first.length).toBeGreaterThan(60);
    expect(second).toEqual(first);
    expect(other).not.toEqual(first);
  });

  it('writes only lines lib/stream parses, of the kinds its counters say', async () => {
    const world = createWorld(WORLD);
    const server = await ingress({ recommend: (user) => served(world.topMovies(user, 20)) });
    const audience = createAudience({ ...WORLD, ingressUrl: server.url, sessionsPerSecond: 5_000, maxSessions: 400, flushMs: 10, newUserRate: 0.05, logger: silentLogger });
    audiences.push(audience);
    audience.start();
    await until(() => audience.stats().sessions === 400 && audience.stats().posted === audience.stats().lines);
    const kinds = { watch: 0, rate: 0, request: 0, create_account: 0 };
    for (const event of events(server.lines())) kinds[event.kind] += 1;
    const stats = audience.stats();
    expect(kinds).toEqual({ watch: stats.watched, rate: stats.rated, request: stats.requests, create_account: stats.accounts });
    expect(stats.accounts).toBeGreaterThan(0);
    expect(stats.rated).toBeGreaterThan(0);
    expect(stats.requests).toBe(400);
    expect(stats.lines).toBe(server.lines().length);
  });

  it('picks from a list built from the hidden taste more often than from a random list', async () => {
    const world = createWorld(WORLD);
    let call = 0;
    const randomIds = (): string[] => Array.from({ length: 20 }, () => world.movieId((call = (call * 7919 + 13) % world.movies)));
    const good = await ingress({ recommend: (user) => served(world.topMovies(user, 20)) });
    const random = await ingress({ recommend: () => served(randomIds()) });
    const share = async (server: StandInIngress): Promise<number> => {
      await runAudience(server, {}, 500);
      const audience = audiences[audiences.length - 1];
      return audience.stats().fromRecommendations / audience.stats().sessions;
    };
    const fromGood = await share(good);
    const fromRandom = await share(random);
    expect(fromGood).toBeGreaterThan(fromRandom + 0.3);
  });

  it('records the ingress’s status, ids and latency in the request line', async () => {
    const server = await ingress({
      recommend: (user) => (Number(user) % 2 === 0 ? served(['the+silent+river+1930', 'no such id']) : { status: 503, body: 'no model serving yet' }),
    });
    const requests = events(await runAudience(server, { host: 'movierec-local:8080' }, 40)).filter((e) => e.kind === 'request');
    expect(requests).toHaveLength(40);
    for (const r of requests) {
      expect(r.host).toBe('movierec-local');
      expect(r.port).toBe(8080);
      if (Number(r.user) % 2 === 0) expect([r.status, r.results, r.error]).toEqual([200, ['the+silent+river+1930'], null]);
      else expect([r.status, r.results, r.error]).toEqual([503, [], 'no model serving yet']);
    }
  });

  it('writes the course failure format when the ingress is down or too slow', async () => {
    const dead = await ingress();
    const deadUrl = dead.url;
    await dead.close();
    servers.splice(servers.indexOf(dead), 1);
    const server = await ingress({ recommend: () => ({ status: 200, body: '', delayMs: 2_000 }) });
    // Only /recommend goes to the closed port: the stream stays reachable, so the lines can be read back.
    const refusedFetch: typeof fetch = (input, init) => {
      const url = String(input);
      return fetch(url.includes('/recommend/') ? url.replace(server.url, deadUrl) : url, init);
    };
    const refused = (await runAudience(server, { topic: 'refused', fetch: refusedFetch }, 5)).filter((l) => l.includes('recommendation request'));
    expect(refused).toHaveLength(5);
    for (const line of refused) {
      expect(line).toMatch(/,\d+,recommendation request movierec-local:8080, status 0, result: java\.net\.ConnectException: Connection refused: movierec-local:8080, \d+ ms$/);
    }
    const slow = events(await runAudience(server, { topic: 'slow', requestTimeoutMs: 50 }, 3)).filter((e) => e.kind === 'request');
    expect(slow).toHaveLength(3);
    for (const r of slow) {
      expect(r.status).toBe(0);
      expect(r.error).toBe('java.util.concurrent.TimeoutException: Request timeout to movierec-local:8080 after 50 ms');
      expect(Number.isInteger(r.latencyMs)).toBe(true);
    }
  });

  it('loses no line while the stream refuses produce calls for a while, and keeps their order', async () => {
    const flaky = await ingress({ produce: (call) => (call <= 3 ? 503 : undefined) });
    const steady = await ingress();
    const input = { batchLines: 50, maxConcurrentSessions: 1 };
    const delivered = await runAudience(flaky, { ...input, clock: steppingClock() }, 100);
    const written = await runAudience(steady, { ...input, clock: steppingClock() }, 100);
    expect(flaky.calls.produce).toBeGreaterThan(3 + Math.ceil(written.length / 50) - 1);
    expect(audiences[audiences.length - 2].stats().dropped).toBe(0);
    expect(delivered).toEqual(written);
  });
});
