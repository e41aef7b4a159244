import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServingModel } from '../../lib/artifacts/model-bundle.js';
import { buildEvent } from '../../lib/messaging/cloud-event-codec.js';
import type { EventSender } from '../../lib/messaging/event-sender.js';
import { eventSource } from '../../lib/messaging/event-types.js';
import type { RecommendationServed } from '../../lib/messaging/events/recommendation-served.js';
import { RECOMMENDATION_SERVED } from '../../lib/messaging/events/recommendation-served.js';
import type { Logger } from '../../lib/ops/logger.js';
import { metricsResponse } from '../../lib/ops/metrics.js';
import type { RecommendMetrics } from './recommend-metrics.js';
import { NO_MODEL } from './recommend-metrics.js';

/** Where the model is: loading, ready to answer, or failed (the function stays unready). */
export type ModelState =
  | { readonly status: 'loading' }
  | { readonly status: 'ready'; readonly model: ServingModel }
  | { readonly status: 'failed' };

/** Follow a model load; a failure is logged with its reason and leaves the function unready. */
export function trackModel(load: Promise<ServingModel>, logger: Logger): () => ModelState {
  let state: ModelState = { status: 'loading' };
  load.then(
    (model) => {
      state = { status: 'ready', model };
      logger.info('model loaded', { modelVersion: model.manifest.version, location: model.location });
    },
    (error: unknown) => {
      state = { status: 'failed' };
      logger.error('model load failed; staying unready', { error });
    },
  );
  return () => state;
}

export interface RecommendDeps {
  readonly model: () => ModelState;
  readonly sender: Pick<EventSender, 'enqueue'>;
  readonly logger: Logger;
  /** Counts `/recommend/…` answers by status and model version; its registry answers `GET /metrics`. */
  readonly metrics: RecommendMetrics;
  /** How many movies to answer (the course contract: 20). */
  readonly n: number;
  /** The Knative revision serving (`K_REVISION`). */
  readonly revision: string;
  /** A monotonic clock in milliseconds, for latency. */
  readonly clock?: () => number;
  readonly now?: () => Date;
}

export interface RecommendRequest {
  readonly method: string;
  /** The request path, without the query string. */
  readonly path: string;
}

export interface RecommendResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

const USER_ID = /^\d{1,12}$/;
const TEXT = { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' };
const text = (status: number, body: string, headers: Record<string, string> = {}): RecommendResponse => ({
  status,
  headers: { ...TEXT, ...headers },
  body,
});

/**
 * Route one request: `GET /recommend/:userId`, `GET /healthz`, `GET /metrics`
 * (a trailing slash is allowed); anything else 404. Every `/recommend…`
 * answer is counted and timed in `deps.metrics`; the others are not.
 */
export async function handleRecommend(request: RecommendRequest, deps: RecommendDeps): Promise<RecommendResponse> {
  const clock = deps.clock ?? (() => performance.now());
  const started = clock();
  const path = request.path.length > 1 && request.path.endsWith('/') ? request.path.slice(0, -1) : request.path;
  const segments = path.split('/');
  // `/recommend/:userId`, and `/recommend` alone (an empty user id: 400, not 404).
  if (segments[1] !== 'recommend' || segments.length > 3) return other(path, request, deps);
  let response: RecommendResponse;
  let fallback = false;
  const state = deps.model();
  try {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response = text(405, 'method not allowed', { Allow: 'GET, HEAD' });
    } else {
      const answered = recommend(segments[2] ?? '', state, deps, started, clock);
      response = answered.response;
      fallback = answered.fallback;
    }
  } catch (error) {
    deps.logger.error('recommend failed', { error, path: request.path.slice(0, 200) });
    response = text(500, 'internal error');
  }
  const version = state.status === 'ready' ? state.model.manifest.version : NO_MODEL;
  deps.metrics.observe(version, response.status, (clock() - started) / 1000, fallback);
  return response;
}

/** `/healthz`, `/metrics`, or 404. */
async function other(path: string, request: RecommendRequest, deps: RecommendDeps): Promise<RecommendResponse> {
  if (path !== '/healthz' && path !== '/metrics') return text(404, 'not found');
  if (request.method !== 'GET' && request.method !== 'HEAD') return text(405, 'method not allowed', { Allow: 'GET, HEAD' });
  const state = deps.model();
  if (path === '/healthz') return state.status === 'ready' ? text(200, 'ok') : text(503, state.status);
  try {
    if (state.status === 'ready') deps.metrics.modelLoaded(state.model.manifest);
    const { contentType, body } = await metricsResponse(deps.metrics.registry);
    return { status: 200, headers: { 'Content-Type': contentType, 'Cache-Control': 'no-store' }, body };
  } catch (error) {
    deps.logger.error('cannot render the metrics', { error });
    return text(500, 'internal error');
  }
}

function recommend(
  raw: string,
  state: ModelState,
  deps: RecommendDeps,
  started: number,
  clock: () => number,
): { readonly response: RecommendResponse; readonly fallback: boolean } {
  const refused = (response: RecommendResponse) => ({ response, fallback: false });
  if (!/^\d+$/.test(raw)) return refused(text(400, `user id must be decimal digits (got ${JSON.stringify(raw.slice(0, 24))})`));
  if (!USER_ID.test(raw)) return refused(text(400, `user id must be at most 12 digits (got ${raw.length})`));
  if (state.status !== 'ready') return refused(text(503, state.status === 'loading' ? 'model loading' : 'model unavailable'));

  const user = raw.replace(/^0+(?=\d)/, '');
  const answer = state.model.recommend(user, deps.n);
  const version = state.model.manifest.version;
  const latencyMs = clock() - started;
  emitServed(deps, { user, movies: answer.movies, modelVersion: version, revision: deps.revision, latencyMs, fallback: answer.fallback });
  const headers = { 'X-Model-Version': version, 'X-Revision': deps.revision, ...(answer.fallback ? { 'X-Fallback': 'true' } : {}) };
  return { response: text(200, answer.movies.join(','), headers), fallback: answer.fallback };
}

/** Queue the served event; a failure here is logged and never changes the answer. */
function emitServed(deps: RecommendDeps, served: Omit<RecommendationServed, 'servedAt'>): void {
  try {
    const servedAt = (deps.now ?? (() => new Date()))();
    const data: RecommendationServed = { ...served, latencyMs: Math.max(0, served.latencyMs), servedAt: servedAt.toISOString() };
    deps.sender.enqueue(buildEvent({ type: RECOMMENDATION_SERVED, source: eventSource('recommend'), data, time: servedAt }));
  } catch (error) {
    deps.logger.error('cannot queue the served event', { error, user: served.user });
  }
}

/** The handler as a Node HTTP listener (what the framework's `http()` takes). */
export function recommendHttp(deps: RecommendDeps): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    const path = (req.url ?? '/').split('?', 1)[0];
    const response = await handleRecommend({ method: req.method ?? 'GET', path }, deps);
    res.writeHead(response.status, response.headers);
    res.end(response.body);
  };
}
