import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RatingScale } from '../../lib/data/records.js';
import { EventsStoreError } from '../../lib/events/events-store-error.js';
import type { AppendResult, EventsWriter, WriterStats } from '../../lib/events/events-writer.js';
import type { StoredKind, StoredRecord } from '../../lib/events/stored-record.js';
import type { EventOutcome } from '../../lib/messaging/cloud-event-batch.js';
import { decodeDelivery } from '../../lib/messaging/cloud-event-batch.js';
import type { IncomingMessage as EventMessage } from '../../lib/messaging/cloud-event-codec.js';
import type { Logger } from '../../lib/ops/logger.js';
import { metricsResponse } from '../../lib/ops/metrics.js';
import type { AppendedCounter } from './appended-report.js';
import type { IngestMetrics } from './ingest-metrics.js';
import type { IntakeContext } from './event-records.js';
import { deadLetterOf, recordOf } from './event-records.js';
import { BodyTooLargeError, bodyAlreadyRead, readRequestBody } from './request-body.js';

export interface IngestDeps {
  readonly writer: Pick<EventsWriter, 'append'>;
  /** The writer's counts since start, for `GET /stats` (404 without). */
  readonly stats?: () => WriterStats;
  /** Counts what was made durable, for `data.appended`. */
  readonly counter: Pick<AppendedCounter, 'add'>;
  readonly logger: Logger;
  /** Counts lines, commit latency and lag; its registry answers `GET /metrics`. */
  readonly metrics: IngestMetrics;
  /** The rating scale lines are checked against (default INGEST_SCALE, 1–10). */
  readonly scale?: RatingScale;
  /** Wall clock, ms since the epoch (`receivedAt`). */
  readonly now?: () => number;
  /** Events per batch delivery at most (default 10,000). */
  readonly maxBatch?: number;
}

export interface IngestRequest {
  readonly method: string;
  /** The request path, without the query string. */
  readonly path: string;
  readonly headers: EventMessage['headers'];
  /** The raw body. */
  readonly body: string | Uint8Array;
}

export interface IngestResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

const TEXT = { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' };
const text = (status: number, body: string, headers: Record<string, string> = {}): IngestResponse => ({ status, headers: { ...TEXT, ...headers }, body });
/** Success carries no body: a 2xx body that is not a CloudEvent is a delivery error to Knative's Kafka dispatchers. */
const DURABLE: IngestResponse = { status: 204, headers: { 'Cache-Control': 'no-store' }, body: '' };

type Route = 'events' | 'dead-letter';
const ROUTES: Readonly<Record<string, Route>> = { '/': 'events', '/dead-letter': 'dead-letter' };

/**
 * Route one request: `POST /` (KafkaSource records and Trigger deliveries:
 * binary, structured or batch), `POST /dead-letter` (the Broker's dead-letter
 * sink), `GET /healthz`, `GET /metrics` (Prometheus text). An event delivery is answered 204 only once every
 * record it brought is durable; 503 when the store failed (the platform
 * redelivers; duplicates are dropped); 400 when nothing in it is a CloudEvent.
 *
 * Everything up to the append is synchronous and the wait for durability is
 * a single promise chain: under functions-framework every promise a request
 * makes pays for the framework's domain and AsyncLocalStorage hooks, so at
 * thousands of requests a second each extra `await` shows in the profile.
 */
export function handleIngest(request: IngestRequest, deps: IngestDeps): Promise<IngestResponse> {
  try {
    return Promise.resolve(route(request, deps));
  } catch (error) {
    return Promise.resolve(failed(error, request, deps));
  }
}

/** `GET /stats`: records stored, duplicates, rejects by reason and commits since this process started. */
function statsResponse(stats: WriterStats): IngestResponse {
  let rejected = 0;
  for (const count of Object.values(stats.rejectsByReason)) rejected += count;
  const body = { records: stats.records, duplicates: stats.duplicates, rejected, rejectsByReason: stats.rejectsByReason, commits: stats.commits };
  return { status: 200, headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' }, body: JSON.stringify(body) };
}

function route(request: IngestRequest, deps: IngestDeps): IngestResponse | Promise<IngestResponse> {
  const path = request.path.length > 1 && request.path.endsWith('/') ? request.path.slice(0, -1) : request.path;
  if (path === '/healthz') {
    return request.method === 'GET' || request.method === 'HEAD' ? text(200, 'ok') : text(405, 'method not allowed', { Allow: 'GET, HEAD' });
  }
  if (path === '/metrics') {
    if (request.method !== 'GET' && request.method !== 'HEAD') return text(405, 'method not allowed', { Allow: 'GET, HEAD' });
    return metricsResponse(deps.metrics.registry).then(({ contentType, body }) => ({ status: 200, headers: { 'Content-Type': contentType, 'Cache-Control': 'no-store' }, body }));
  }
  if (path === '/stats' && deps.stats !== undefined) {
    if (request.method !== 'GET' && request.method !== 'HEAD') return text(405, 'method not allowed', { Allow: 'GET, HEAD' });
    return statsResponse(deps.stats());
  }
  const target = Object.hasOwn(ROUTES, path) ? ROUTES[path] : undefined;
  if (target === undefined) return text(404, 'not found');
  if (request.method !== 'POST') return text(405, 'method not allowed', { Allow: 'POST' });
  return ingest(target, request, deps);
}

function failed(error: unknown, request: IngestRequest, deps: IngestDeps): IngestResponse {
  if (error instanceof EventsStoreError) {
    deps.logger.error('events store unavailable; answering 503 for redelivery', { error, segment: error.segment });
    return text(503, 'events store unavailable');
  }
  deps.logger.error('ingest failed', { error, path: request.path.slice(0, 200) });
  return text(500, 'internal error');
}

function ingest(route: Route, request: IngestRequest, deps: IngestDeps): IngestResponse | Promise<IngestResponse> {
  const delivery = decodeDelivery({ headers: request.headers, body: request.body }, { maxBatch: deps.maxBatch });
  if (!delivery.ok) {
    deps.logger.warning('refused a delivery that holds no CloudEvent', { route, reasons: delivery.reasons });
    return text(400, delivery.reasons.join('\n'));
  }
  const now = deps.now ?? Date.now;
  const context: IntakeContext = { receivedAt: now(), scale: deps.scale };
  const toRecord = route === 'events' ? recordOf : deadLetterOf;
  const records = delivery.events.map((outcome) => toRecord(outcome, context));
  const durable = (): IngestResponse => {
    records.forEach((record, i) => report(record, delivery.events[i], deps.logger));
    return DURABLE;
  };
  const failure = (error: unknown) => failed(error, request, deps);
  // The records go to the writer kind by kind (one group commit takes them all); each kind is counted once it is durable.
  const kinds = byKind(records);
  const startedMs = performance.now();
  const counted = (kind: StoredKind, group: StoredRecord[], result: AppendResult) => {
    deps.counter.add(kind, result);
    deps.metrics.appended(kind, result, group, { startedMs, receivedMs: context.receivedAt, nowMs: now() });
  };
  if (kinds.size === 1) {
    // The common delivery, one event: a single promise from the append to the answer.
    const [[kind, group]] = kinds;
    return deps.writer.append(group).then((result) => {
      counted(kind, group, result);
      return durable();
    }, failure);
  }
  const appends = [...kinds].map(([kind, group]) => deps.writer.append(group).then((result) => counted(kind, group, result)));
  return Promise.all(appends).then(durable, failure);
}

function byKind(records: readonly StoredRecord[]): Map<StoredKind, StoredRecord[]> {
  const kinds = new Map<StoredKind, StoredRecord[]>();
  for (const record of records) {
    const group = kinds.get(record.kind);
    if (group === undefined) kinds.set(record.kind, [record]);
    else group.push(record);
  }
  return kinds;
}

/** A reject or a dead letter is worth a line: the event id and why. */
function report(record: StoredRecord, outcome: EventOutcome, logger: Logger): void {
  if (record.kind === 'rejects') {
    logger.warning('rejected an event; kept with its reason', { id: record.id, source: record.source, reason: record.reason, detail: record.detail.slice(0, 300) });
  } else if (record.kind === 'dead_letter' && outcome.ok) {
    const { event } = outcome;
    logger.warning('stored a dead letter', {
      id: record.id,
      source: record.source,
      type: record.type,
      errorCode: event.knativeerrorcode,
      errorDestination: event.knativeerrordest,
    });
  }
}

function send(res: ServerResponse, response: IngestResponse): void {
  res.writeHead(response.status, response.headers);
  res.end(response.body);
}

/**
 * The handler as a Node HTTP listener (what the framework's `http()` takes).
 * The framework has already read the body (`rawBody`) and the listener goes
 * straight on; a plain Node server has not, and the listener reads it,
 * refusing more than `maxBodyBytes`.
 */
export function ingestHttp(
  deps: IngestDeps,
  options: { readonly maxBodyBytes?: number } = {},
): (req: IncomingMessage & { readonly rawBody?: Buffer }, res: ServerResponse) => Promise<void> {
  const unreadable = (error: unknown): IngestResponse => {
    if (error instanceof BodyTooLargeError) return text(413, error.message);
    deps.logger.error('cannot read the request body', { error });
    return text(400, 'cannot read the request body');
  };
  const answer = (req: IncomingMessage, body: Buffer) => {
    const path = (req.url ?? '/').split('?', 1)[0];
    return handleIngest({ method: req.method ?? 'GET', path, headers: req.headers, body }, deps);
  };
  return (req, res) => {
    let response: Promise<IngestResponse>;
    try {
      const body = bodyAlreadyRead(req, options.maxBodyBytes);
      response = body === undefined ? readRequestBody(req, options.maxBodyBytes).then((bytes) => answer(req, bytes), unreadable) : answer(req, body);
    } catch (error) {
      response = Promise.resolve(unreadable(error));
    }
    return response.then((answered) => send(res, answered));
  };
}
