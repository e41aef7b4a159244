import { BundleError, MovierecError } from '../errors.js';

/**
 * A store operation that failed (I/O, network, permissions) as a BundleError.
 * Retriable: unlike a corrupt bundle, trying again may help; unless the store
 * already knew it would not (an object store's 403 or missing bucket).
 */
export function storeFailure(location: string, what: string, cause: unknown): BundleError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  const retriable = cause instanceof MovierecError ? cause.retriable : true;
  return new BundleError(location, `${what}: ${reason}`, { cause, retriable });
}

/** The first characters of a hex digest, for messages. */
export function shortHash(hex: string): string {
  return `${hex.slice(0, 12)}…`;
}
