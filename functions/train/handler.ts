import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { decodeEvent } from '../../lib/messaging/cloud-event-codec.js';
import { PING_TYPE } from '../../lib/messaging/event-types.js';
import { DATA_APPENDED, DataAppendedSchema } from '../../lib/messaging/events/data-appended.js';
import { RETRAIN_REQUESTED, RetrainRequestedSchema } from '../../lib/messaging/events/retrain-requested.js';
import { formatIssues } from '../../lib/errors.js';
import type { Algorithm } from '../../lib/models/model.js';
import { ALGORITHMS, isAlgorithm } from '../../lib/models/model.js';
import type { Logger } from '../../lib/ops/logger.js';
import { metricsResponse } from '../../lib/ops/metrics.js';
import type { TrainMetrics } from './train-metrics.js';
import type { RunAnswer, Trainer } from './trainer.js';

/** The event types train's Triggers deliver. */
export const TRAIN_ACCEPTS = [RETRAIN_REQUESTED, PING_TYPE, DATA_APPENDED] as const;

export interface TrainHandlerDeps {
  /** Runs the training; `trainer.idle()` awaits the current run (tests, shutdown). */
  readonly trainer: Trainer;
  /** What a request that names no algorithms trains (params.yaml `train.algorithms`). */
  readonly algorithms: readonly Algorithm[];
  readonly logger: Logger;
  /** Its registry answers `GET /metrics` (the runner counts into it). */
  readonly metrics: Pick<TrainMetrics, 'registry'>;
}

export interface TrainRequest {
  readonly method: string;
  /** The request path, without the query string. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The raw body (bytes or text). */
  readonly body: unknown;
}

export interface TrainResponse {
  readonly status: number;
  readonly body: RunAnswer | { readonly errors: readonly string[] } | Readonly<Record<string, unknown>>;
}

const refuse = (status: number, ...errors: string[]): TrainResponse => ({ status, body: { errors } });

/**
 * `POST /` with a CloudEvent (binary or structured): a retrain request or
 * the schedule's ping starts a run (or joins the pending one), ingest's
 * `data.appended` counts toward the new-data threshold. Answers 202 at once
 * with what happened (training goes on in the background); 400 with the
 * reasons for an event that redelivery cannot fix. `GET /healthz` → 200.
 */
export function handleTrain(request: TrainRequest, deps: TrainHandlerDeps): TrainResponse {
  const path = request.path.length > 1 && request.path.endsWith('/') ? request.path.slice(0, -1) : request.path;
  if (path === '/healthz') {
    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(405, 'method not allowed');
    return { status: 200, body: { status: 'ok', ...deps.trainer.state() } };
  }
  if (path !== '/') return refuse(404, 'not found');
  if (request.method !== 'POST') return refuse(405, 'method not allowed');

  const decoded = decodeEvent({ headers: request.headers, body: request.body }, z.unknown(), { accept: TRAIN_ACCEPTS });
  if (!decoded.ok) return invalid(deps, decoded.reasons, decoded.id);
  const { event } = decoded;
  let answer: RunAnswer;
  if (event.type === DATA_APPENDED) {
    const data = DataAppendedSchema.safeParse(decoded.data);
    if (!data.success) return invalid(deps, [`data: ${formatIssues(data.error.issues)}`], event.id);
    const records = (data.data.stored.watch ?? 0) + (data.data.stored.rate ?? 0);
    answer = deps.trainer.newData(records);
    if (answer.run === 'skipped') deps.logger.debug('new data counted', { id: event.id, records, ...answer });
    else deps.logger.info('new data counted', { id: event.id, records, ...answer });
    return { status: 202, body: answer };
  }
  // A PingSource without data still means the schedule.
  const raw = event.type === PING_TYPE && decoded.data === undefined ? { reason: 'schedule' } : decoded.data;
  const data = RetrainRequestedSchema.safeParse(raw);
  if (!data.success) return invalid(deps, [`data: ${formatIssues(data.error.issues)}`], event.id);
  const names = data.data.algorithms ?? deps.algorithms;
  const unknown = names.filter((name) => !isAlgorithm(name));
  if (unknown.length > 0) {
    return invalid(deps, [`data.algorithms: unknown ${unknown.join(', ')} (allowed: ${ALGORITHMS.join(', ')})`], event.id);
  }
  answer = deps.trainer.request({ reason: data.data.reason, algorithms: ALGORITHMS.filter((name) => names.includes(name)) });
  deps.logger.info('retrain requested', { id: event.id, type: event.type, reason: data.data.reason, ...answer });
  return { status: 202, body: answer };
}

function invalid(deps: TrainHandlerDeps, reasons: readonly string[], id: string | undefined): TrainResponse {
  deps.logger.warning('event refused', { id, reasons });
  return refuse(400, ...reasons);
}

/** The request body as the framework kept it (`rawBody`), or read from the stream (a plain Node server). */
async function readBody(req: IncomingMessage & { readonly rawBody?: unknown; readonly body?: unknown }): Promise<unknown> {
  if (Buffer.isBuffer(req.rawBody)) return req.rawBody;
  if (req.readableEnded) return req.body;
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks);
}

/** `GET /metrics`: the process registry in Prometheus text format. */
async function sendMetrics(req: IncomingMessage, res: ServerResponse, deps: TrainHandlerDeps): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { 'Content-Type': 'application/json; charset=utf-8', Allow: 'GET, HEAD' });
    res.end(JSON.stringify({ errors: ['method not allowed'] }));
    return;
  }
  const { contentType, body } = await metricsResponse(deps.metrics.registry);
  res.writeHead(200, { 'Content-Type': contentType, 'Cache-Control': 'no-store' });
  res.end(body);
}

/** The handler as a Node HTTP listener (what the framework's `http()` takes); `GET /metrics` is answered here, in Prometheus text. */
export function trainHttp(deps: TrainHandlerDeps): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    let response: TrainResponse;
    try {
      const path = (req.url ?? '/').split('?', 1)[0];
      if (path === '/metrics' || path === '/metrics/') {
        await sendMetrics(req, res, deps);
        return;
      }
      response = handleTrain({ method: req.method ?? 'GET', path, headers: req.headers, body: await readBody(req) }, deps);
    } catch (error) {
      deps.logger.error('train request failed', { error, path: (req.url ?? '').slice(0, 200) });
      response = refuse(500, 'internal error');
    }
    res.writeHead(response.status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(JSON.stringify(response.body));
  };
}
