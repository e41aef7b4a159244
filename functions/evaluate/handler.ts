import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { formatIssues, MovierecError } from '../../lib/errors.js';
import { decodeEvent } from '../../lib/messaging/cloud-event-codec.js';
import type { EventSender } from '../../lib/messaging/event-sender.js';
import { PING_TYPE } from '../../lib/messaging/event-types.js';
import { EVALUATION_TICK, EvaluationTickSchema } from '../../lib/messaging/events/evaluation-tick.js';
import { MODEL_TRAINED, ModelTrainedSchema } from '../../lib/messaging/events/model-trained.js';
import { promotedEvent, rejectedEvent } from '../../lib/rollout/decision-events.js';
import { PlatformError } from '../../lib/rollout/platform-error.js';
import type { OfflineDecision, OfflineDeps } from './offline-decision.js';
import { decideOnTrained } from './offline-decision.js';
import { onTick } from './on-tick.js';

export interface EvaluateDeps extends OfflineDeps {
  /** Where decisions go (the Broker); flushed right after each decision. */
  readonly sender: Pick<EventSender, 'enqueue' | 'flush'>;
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
  readonly body: unknown;
}

const ACCEPTED = [MODEL_TRAINED, EVALUATION_TICK, PING_TYPE] as const;

/**
 * evaluate's HTTP surface:
 * - `POST /` a CloudEvent (binary or structured):
 *   `io.movierec.model.trained.v1` → the offline decision, made one at a time
 *   (a second run waits for the first), answered 200 with the decision once
 *   the platform changed and the events were sent;
 *   `dev.knative.sources.ping` / `io.movierec.evaluation.tick.v1` → 202 (on-tick.ts);
 *   a bad envelope or data → 400 `{ errors }`.
 * - `GET /healthz` → 200.
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

  return async (request) => {
    const path = request.path.length > 1 && request.path.endsWith('/') ? request.path.slice(0, -1) : request.path;
    if (path === '/healthz') {
      return request.method === 'GET' || request.method === 'HEAD' ? { status: 200, body: { status: 'ok' } } : { status: 405, body: { errors: ['method not allowed'] } };
    }
    if (path !== '/') return { status: 404, body: { errors: ['not found'] } };
    if (request.method !== 'POST') return { status: 405, body: { errors: ['method not allowed: POST a CloudEvent'] } };

    const decoded = decodeEvent({ headers: request.headers, body: request.body }, z.unknown(), { accept: ACCEPTED });
    if (!decoded.ok) return refuse(deps, decoded.reasons, decoded.id);
    const { event } = decoded;
    if (event.type !== MODEL_TRAINED) {
      const tick = EvaluationTickSchema.safeParse(event.data);
      if (!tick.success) return refuse(deps, [`data: ${formatIssues(tick.error.issues)}`], event.id);
      return { status: 202, body: await onTick(tick.data, { id: event.id, logger: deps.logger }) };
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
    res.writeHead(response.status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(JSON.stringify(response.body));
  };
}
