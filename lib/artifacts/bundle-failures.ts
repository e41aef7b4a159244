import { BundleError } from '../errors.js';

/**
 * A store operation that failed (I/O, network, permissions) as a BundleError.
 * Retriable: unlike a corrupt bundle, trying again may help.
 */
export function storeFailure(location: string, what: string, cause: unknown): BundleError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new BundleError(location, `${what}: ${reason}`, { cause, retriable: true });
}

/** The first characters of a hex digest, for messages. */
export function shortHash(hex: string): string {
  return `${hex.slice(0, 12)}…`;
}
