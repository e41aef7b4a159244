/**
 * The CloudEvent types movierec sends and receives — reverse-DNS and versioned,
 * `io.movierec.<noun>.<verb>.v1` — and the sources, `/movierec/<function>`.
 */

export const EVENT_TYPES = [
  'io.movierec.data.appended.v1',
  'io.movierec.retrain.requested.v1',
  'io.movierec.model.trained.v1',
  'io.movierec.recommendation.served.v1',
  'io.movierec.evaluation.tick.v1',
  'io.movierec.model.promoted.v1',
  'io.movierec.model.rejected.v1',
  'io.movierec.model.rolled-back.v1',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export function isEventType(value: string): value is EventType {
  return (EVENT_TYPES as readonly string[]).includes(value);
}

/** The function names, each a Knative Service and an event source. */
export const FUNCTION_NAMES = ['ingest', 'train', 'recommend', 'evaluate'] as const;
export type FunctionName = (typeof FUNCTION_NAMES)[number];

export type EventSource = `/movierec/${FunctionName}`;

export function isFunctionName(value: string): value is FunctionName {
  return (FUNCTION_NAMES as readonly string[]).includes(value);
}

/** The `source` attribute of the events a function emits. */
export function eventSource(name: FunctionName): EventSource {
  return `/movierec/${name}`;
}

/**
 * Event types the platform (Knative Eventing) emits, not movierec: a
 * KafkaSource's record and a PingSource's tick. Functions accept them where a
 * Trigger routes them, by name, through `decodeEvent`'s `accept` option.
 */
export const KAFKA_RECORD_TYPE = 'dev.knative.kafka.event' as const;
export const PING_TYPE = 'dev.knative.sources.ping' as const;
export const PLATFORM_EVENT_TYPES = [KAFKA_RECORD_TYPE, PING_TYPE] as const;
export type PlatformEventType = (typeof PLATFORM_EVENT_TYPES)[number];
