import { MovierecError } from '../errors.js';

/** What evaluate asked the serving platform to do. */
export const PLATFORM_OPERATIONS = ['describe', 'deploy', 'setTraffic'] as const;
export type PlatformOperation = (typeof PLATFORM_OPERATIONS)[number];

/**
 * The serving platform failed or refused a request. `retriable` for network
 * errors and 5xx answers (the platform may be restarting: retry later);
 * not retriable for a 4xx refusal, whose `reasons` are the server's own
 * (`percents sum to 90, not 100`), or an answer that is not what the API
 * documents.
 */
export class PlatformError extends MovierecError {
  readonly operation: PlatformOperation;
  /** The HTTP status, when the platform answered. */
  readonly status: number | undefined;
  readonly reasons: readonly string[];

  constructor(
    operation: PlatformOperation,
    what: string,
    options: { status?: number; reasons?: readonly string[]; retriable?: boolean; cause?: unknown } = {},
  ) {
    const reasons = options.reasons ?? [];
    super(`platform ${operation}: ${what}${reasons.length > 0 ? `: ${reasons.join('; ')}` : ''}`, {
      retriable: options.retriable ?? false,
      cause: options.cause,
    });
    this.operation = operation;
    this.status = options.status;
    this.reasons = Object.freeze([...reasons]);
  }
}
