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
