import { MovierecError } from '../../lib/errors.js';

/** A function process that could not start, exited, or did not get ready in time. */
export class FunctionProcessError extends MovierecError {
  constructor(
    readonly revision: string,
    readonly what: string,
    readonly logFile: string | undefined,
    options: { cause?: unknown; retriable?: boolean } = {},
  ) {
    super(`${revision}: ${what}${logFile === undefined ? '' : ` (log: ${logFile})`}`, options);
  }
}

/** A traffic change or deploy the platform refuses; `reasons` name every problem (the API answers 400 with them). */
export class TrafficError extends MovierecError {
  constructor(readonly reasons: readonly string[]) {
    super(`traffic refused: ${reasons.join('; ')}`, { retriable: false });
  }
}
