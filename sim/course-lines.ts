import { formatLine } from '../lib/stream/format-line.js';
import type { RecommendOutcome } from './recommend-request.js';

/**
 * The course log lines the audience writes, spelled by lib/stream's
 * `formatLine` (so they are exactly what `parseLine` reads back). Times are
 * wall-clock UTC without a zone, as the course writes them: seconds for
 * watch, rate and create_account lines (`2022-03-18T06:12:47`),
 * milliseconds for recommendation requests (`2023-03-24T14:14:43.074`).
 */

/** `YYYY-MM-DDTHH:MM:SS`, or with `.sss` when `millis`. */
export function courseTimestamp(ms: number, millis: boolean): string {
  return new Date(ms).toISOString().slice(0, millis ? 23 : 19);
}

function head(ms: number, millis: boolean): { time: number; timestamp: string } {
  const timestamp = courseTimestamp(ms, millis);
  const second = millis ? Math.floor(ms) : Math.floor(ms / 1000) * 1000;
  return { time: second, timestamp };
}

export function createAccountLine(ms: number, user: string): string {
  return formatLine({ kind: 'create_account', ...head(ms, false), user });
}

export function requestLine(ms: number, user: string, host: string, outcome: RecommendOutcome): string {
  const colon = host.lastIndexOf(':');
  return formatLine({
    kind: 'request',
    ...head(ms, true),
    user,
    host: host.slice(0, colon),
    port: Number(host.slice(colon + 1)),
    status: outcome.status,
    results: outcome.status === 200 ? [...outcome.results] : [],
    error: outcome.status === 200 ? null : (outcome.error ?? ''),
    latencyMs: outcome.latencyMs,
  });
}

export function watchLine(ms: number, user: string, movie: string, minute: number): string {
  return formatLine({ kind: 'watch', ...head(ms, false), user, movie, minute });
}

export function rateLine(ms: number, user: string, movie: string, rating: number): string {
  return formatLine({ kind: 'rate', ...head(ms, false), user, movie, rating });
}
