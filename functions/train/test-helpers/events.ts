import type { Encoding, HttpMessage } from '../../../lib/messaging/cloud-event-codec.js';
import { buildEvent, encodeEvent } from '../../../lib/messaging/cloud-event-codec.js';
import { PING_TYPE } from '../../../lib/messaging/event-types.js';
import type { DataAppended } from '../../../lib/messaging/events/data-appended.js';
import { DATA_APPENDED } from '../../../lib/messaging/events/data-appended.js';
import { RETRAIN_REQUESTED } from '../../../lib/messaging/events/retrain-requested.js';

export const RETRAIN_PING_SOURCE = '/apis/v1/namespaces/movierec/pingsources/retrain-schedule';

export function retrainRequested(data: Record<string, unknown>, encoding: Encoding): HttpMessage {
  return encodeEvent(buildEvent({ type: RETRAIN_REQUESTED, source: '/movierec/evaluate', data }), encoding);
}

export function dataAppended(stored: Record<string, number>, encoding: Encoding = 'binary'): HttpMessage {
  const data: DataAppended = { stored, duplicates: 0, rejected: 0, since: '2026-11-26T10:00:00.000Z' };
  return encodeEvent(buildEvent({ type: DATA_APPENDED, source: '/movierec/ingest', data }), encoding);
}

/** What a PingSource sends: binary mode, `dev.knative.sources.ping`, its JSON data. */
export function ping(data: Record<string, unknown> = { reason: 'schedule' }): HttpMessage {
  const event = buildEvent({ type: RETRAIN_REQUESTED, source: '/movierec/train', data });
  return encodeEvent(event.cloneWith({ type: PING_TYPE, source: RETRAIN_PING_SOURCE }, true), 'binary');
}
