/** The eventing half of the local runtime: Broker and Triggers, KafkaSource, PingSource, delivery, `/streams`. */
export type { Eventing, EventingOptions, EventingStatus } from './create-eventing.js';
export { createEventing } from './create-eventing.js';
export type { DeliveryCounts, DeliveryOutcome, DeliveryRecord } from './delivery-log.js';
export type { KafkaSourceStatus } from './kafka-source.js';
export type { PingSourceStatus } from './ping-source.js';
export type { Clock } from './clock.js';
export { systemClock } from './clock.js';
export { DEAD_LETTER_FILE, deadLetterPath } from './dead-letter-file.js';
export type { ModelDecisionEvent, ModelDecisionKind } from './decision-log.js';
export { DecisionLog, MODEL_DECISION_KINDS } from './decision-log.js';
