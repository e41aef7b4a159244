import { MovierecError } from '../errors.js';

/**
 * The events store could not make records durable (a write, an fsync or a
 * folder failed). Retriable: nothing of the failed append counts, so the
 * platform should redeliver (ingest answers 5xx).
 */
export class EventsStoreError extends MovierecError {
  /** The store location (a folder, a bucket prefix). */
  readonly location: string;
  /** The segment being written, when one was. */
  readonly segment: string | undefined;

  constructor(location: string, segment: string | undefined, what: string, options: { cause?: unknown } = {}) {
    super(segment === undefined ? `${location}: ${what}` : `${location}/${segment}: ${what}`, { ...options, retriable: true });
    this.location = location;
    this.segment = segment;
  }
}
