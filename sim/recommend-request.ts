import { checkMovieId } from '../lib/stream/fields.js';
import { fetchErrorCode } from './ingress-error.js';

/**
 * One `GET /recommend/<user>` on the ingress, as the course's load generator
 * makes it: a timeout (800 ms on the course), the status and the latency
 * measured on the caller's clock, the ids on success and the failure text
 * otherwise — what the `recommendation request` line records.
 *
 * Failure texts follow the course (its client is a JVM):
 *   timeout            java.util.concurrent.TimeoutException: Request timeout to <host> after <t> ms
 *   refused            java.net.ConnectException: Connection refused: <host>
 *   reset              java.io.IOException: Connection reset by peer
 *   unknown host       java.net.UnknownHostException: <host>
 *   other              java.io.IOException: <message>
 * and status 0. A non-200 answer keeps its status and its body (one line,
 * at most 200 characters) as the result text, or `HTTP <status>` when empty.
 */
export interface RecommendOutcome {
  /** The HTTP status, or 0 when there was no answer. */
  readonly status: number;
  /** The recommended ids (canonical; ids the course line could not carry are left out) when status is 200. */
  readonly results: readonly string[];
  /** The result text when status is not 200, else null. */
  readonly error: string | null;
  readonly latencyMs: number;
}

export interface RecommendRequestOptions {
  readonly fetch: typeof globalThis.fetch;
  readonly ingressUrl: string;
  /** `<host>:<port>` as written in the line, named in failure texts. */
  readonly host: string;
  readonly timeoutMs: number;
  /** Milliseconds since the epoch. */
  readonly clock: () => number;
}

/** More ids than this in one answer are not recorded (the course serves 20). */
const MAX_RESULTS = 100;

export async function requestRecommendations(options: RecommendRequestOptions, user: string): Promise<RecommendOutcome> {
  const url = new URL(`/recommend/${encodeURIComponent(user)}`, options.ingressUrl).href;
  const started = options.clock();
  const latency = (): number => Math.max(0, Math.round(options.clock() - started));
  try {
    const response = await options.fetch(url, { signal: AbortSignal.timeout(options.timeoutMs) });
    const body = await response.text();
    if (response.status === 200) return { status: 200, results: movieIds(body), error: null, latencyMs: latency() };
    const text = oneLine(body);
    return { status: response.status, results: [], error: text === '' ? `HTTP ${response.status}` : text, latencyMs: latency() };
  } catch (error) {
    return { status: 0, results: [], error: failureText(error, options), latencyMs: latency() };
  }
}

/** The ids of a `text/plain` answer: comma-separated, spaces ignored; ids a slug cannot be are left out. */
function movieIds(body: string): string[] {
  const ids: string[] = [];
  for (const part of body.split(',')) {
    const checked = checkMovieId(part.trim());
    if (checked.ok) ids.push(checked.value);
    if (ids.length === MAX_RESULTS) break;
  }
  return ids;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim().slice(0, 200);
}

function failureText(error: unknown, options: RecommendRequestOptions): string {
  if (error instanceof Error && error.name === 'TimeoutError') {
    return `java.util.concurrent.TimeoutException: Request timeout to ${options.host} after ${options.timeoutMs} ms`;
  }
  switch (fetchErrorCode(error)) {
    case 'ECONNREFUSED':
      return `java.net.ConnectException: Connection refused: ${options.host}`;
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return 'java.io.IOException: Connection reset by peer';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `java.net.UnknownHostException: ${options.host}`;
    default:
      return `java.io.IOException: ${oneLine(error instanceof Error ? error.message : String(error)) || 'request failed'}`;
  }
}
