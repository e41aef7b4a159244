import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { formatIssues, MovierecError } from '../../lib/errors.js';
import { decodeEvent } from '../../lib/messaging/cloud-event-codec.js';
import type { EventSender } from '../../lib/messaging/event-sender.js';
import { PING_TYPE } from '../../lib/messaging/event-types.js';
import { EVALUATION_TICK, EvaluationTickSchema } from '../../lib/messaging/events/evaluation-tick.js';
import { MODEL_TRAINED, ModelTrainedSchema } from '../../lib/messaging/events/model-trained.js';
import { promotedEvent, rejectedEvent } from '../../lib/rollout/decision-events.js';
import type { Registry } from 'prom-client';
import { metricsResponse } from '../../lib/ops/metrics.js';
import { PlatformError } from '../../lib/rollout/platform-error.js';
import type { OfflineDecision, OfflineDeps } from './offline-decision.js';
import { decideOnTrained } from './offline-decision.js';
import { createOnlineMetrics } from './online-metrics.js';
import type { TickDeps } from './on-tick.js';
import { onTick } from './on-tick.js';

/** How many reports and decisions `GET /online` answers at most. */
export const ONLINE_REPORTS_SHOWN = 200;
export const ONLINE_DECISIONS_SHOWN = 50;

export interface EvaluateDeps extends OfflineDeps, Omit<TickDeps, 'metrics'> {
  /** Where decisions go (the Broker); flushed right after each decision. */
  readonly sender: Pick<EventSender, 'enqueue' | 'flush'>;
  /** The process' registry (`createMetricsRegistry`): evaluate's metrics go there, `GET /metrics` answers it. */
  readonly registry: Registry;
  readonly now?: () => Date;
}

export interface EvaluateRequest {
  readonly method: string;
  /** The path, without the query string. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The raw body (bytes or text), or JSON a framework already parsed. */
  readonly body: unknown;
}

export interface EvaluateResponse {
  readonly status: number;
  /** JSON unless `contentType` says otherwise (then `body` is the text). */
  readonly body: unknown;
  readonly contentType?: string;
}

const ACCEPTED = [MODEL_TRAINED, EVALUATION_TICK, PING_TYPE] as const;

/**
 * evaluate's HTTP surface:
 * - `POST /` a CloudEvent (binary or structured):
 *   `io.movierec.model.trained.v1` → the offline decision, made one at a time
 *   (a second run waits for the first), answered 200 with the decision once
 *   the platform changed and the events were sent;
 *   `dev.knative.sources.ping` / `io.movierec.evaluation.tick.v1` → online
 *   evaluation, the canary decision and retention (on-tick.ts), one at a time
 *   with the offline decisions, answered 200 with the TickAnswer;
 *   a bad envelope or data → 400 `{ errors }`.
 * - `GET /online` → `{ reports, decisions }` (the online time series, oldest first).
 * - `GET /metrics` → Prometheus text; `GET /healthz` → 200.
 * Failures: a retriable one (platform down, store I/O) → 503 and a platform
 * refusal → 502, so the Broker redelivers and finally dead-letters; anything
 * else → 500. Bodies never reveal internals; the log line does.
 */
export function createEvaluateHandler(deps: EvaluateDeps): (request: EvaluateRequest) => Promise<EvaluateResponse> {
  let tail: Promise<unknown> = Promise.resolve();
  const oneAtATime = <T>(work: () => Promise<T>): Promise<T> => {
    const run = tail.then(work, work);
    tail = run.catch(() => undefined);
    return run;
  };

  const metrics = createOnlineMetrics(deps.registry);
  const tickDeps: TickDeps = { ...deps, metrics };

  return async (request) => {
    const path = request.path.length > 1 && request.path.endsWith('/') ? request.path.slice(0, -1) : request.path;
    const readable = request.method === 'GET' || request.method === 'HEAD';
    if (path === '/healthz') {
      return readable ? { status: 200, body: { status: 'ok' } } : { status: 405, body: { errors: ['method not allowed'] } };
    }
    if (path === '/metrics' || path === '/online') {
      if (!readable) return { status: 405, body: { errors: ['method not allowed'] } };
      try {
        if (path === '/online') return { status: 200, body: await onlineSeries(deps) };
        const { contentType, body } = await metricsResponse(deps.registry);
        return { status: 200, body, contentType };
      } catch (error) {
        return failure(deps, error, { path });
      }
    }
    if (path !== '/') return { status: 404, body: { errors: ['not found'] } };
    if (request.method !== 'POST') return { status: 405, body: { errors: ['method not allowed: POST a CloudEvent'] } };

    const decoded = decodeEvent({ headers: request.headers, body: request.body }, z.unknown(), { accept: ACCEPTED });
    if (!decoded.ok) return refuse(deps, decoded.reasons, decoded.id);
    const { event } = decoded;
    if (event.type !== MODEL_TRAINED) {
      const tick = EvaluationTickSchema.safeParse(event.data);
      if (!tick.success) return refuse(deps, [`data: ${formatIssues(tick.error.issues)}`], event.id);
      try {
        return { status: 200, body: await oneAtATime(() => onTick(tick.data, { id: event.id }, tickDeps)) };
      } catch (error) {
        metrics.countEvaluation('failed');
        return failure(deps, error, { eventId: event.id, tick: tick.data.reason });
      }
    }
    const trained = ModelTrainedSchema.safeParse(event.data);
    if (!trained.success) return refuse(deps, [`data: ${formatIssues(trained.error.issues)}`], event.id);
    try {
      const decision = await oneAtATime(() => decideOnTrained(trained.data, deps));
      await emit(decision, deps);
      return { status: 200, body: decision };
    } catch (error) {
      return failure(deps, error, { eventId: event.id, runId: trained.data.runId });
    }
  };
}

async function onlineSeries(deps: EvaluateDeps): Promise<{ reports: unknown[]; decisions: unknown[] }> {
  const [reports, decisions] = await Promise.all([deps.online.latestReports(ONLINE_REPORTS_SHOWN), deps.online.latestDecisions(ONLINE_DECISIONS_SHOWN)]);
  return { reports, decisions };
}

function refuse(deps: EvaluateDeps, reasons: readonly string[], id: string | undefined): EvaluateResponse {
  deps.logger.warning('refused an event', { eventId: id, reasons });
  return { status: 400, body: { errors: reasons } };
}

function failure(deps: EvaluateDeps, error: unknown, fields: Record<string, string>): EvaluateResponse {
  if (error instanceof PlatformError && !error.retriable) {
    deps.logger.error('the serving platform refused a change', { ...fields, error });
    return { status: 502, body: { error: 'the serving platform refused the change' } };
  }
  if (error instanceof MovierecError && error.retriable) {
    deps.logger.warning('decision failed; the event will be redelivered', { ...fields, error });
    return { status: 503, body: { error: 'temporarily unavailable; retry later' } };
  }
  deps.logger.error('decision failed', { ...fields, error });
  return { status: 500, body: { error: 'internal error' } };
}

/** Send every promoted / rejected decision now (unchanged ones were announced before). */
async function emit(decision: OfflineDecision, deps: EvaluateDeps): Promise<void> {
  const time = (deps.now ?? (() => new Date()))();
  for (const d of decision.decisions) {
    if (d.outcome === 'promoted') {
      const { outcome: _outcome, ...data } = d;
      deps.sender.enqueue(promotedEvent(data, time));
    } else if (d.outcome === 'rejected') {
      const { outcome: _outcome, ...data } = d;
      deps.sender.enqueue(rejectedEvent(data, time));
    }
  }
  await deps.sender.flush();
}

/** What the framework hands over: a Node request whose body its parsers have read (`rawBody`: the bytes). */
export type FrameworkRequest = IncomingMessage & { readonly rawBody?: Buffer; readonly body?: unknown };

/** The handler as a Node HTTP listener (what the framework's `http()` takes). */
export function evaluateHttp(deps: EvaluateDeps): (req: FrameworkRequest, res: ServerResponse) => Promise<void> {
  const handle = createEvaluateHandler(deps);
  return async (req, res) => {
    const response = await handle({
      method: req.method ?? 'GET',
      path: (req.url ?? '/').split('?', 1)[0],
      headers: req.headers,
      body: req.rawBody ?? req.body ?? '',
    });
    const text = response.contentType !== undefined && typeof response.body === 'string';
    res.writeHead(response.status, { 'Content-Type': text ? (response.contentType ?? '') : 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(text ? response.body : JSON.stringify(response.body));
  };
}
