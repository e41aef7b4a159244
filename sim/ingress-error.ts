import { MovierecError } from '../lib/errors.js';

/**
 * The ingress (local/API.md) could not be reached or refused what was sent:
 * `http://127.0.0.1:8080/streams/movielog: connect ECONNREFUSED`. `status`
 * is the HTTP status when there was an answer. Retriable when trying again
 * can help: no answer, 408, 429 or 5xx.
 */
export class IngressError extends MovierecError {
  readonly url: string;
  readonly status: number | undefined;

  constructor(url: string, what: string, options: { status?: number; retriable?: boolean; cause?: unknown } = {}) {
    super(`${url}: ${what}`, { retriable: options.retriable ?? false, cause: options.cause });
    this.url = url;
    this.status = options.status;
  }
}

/** Whether an HTTP status is worth retrying. */
export function isRetriableStatus(status: number): boolean {
  return status >= 500 || status === 408 || status === 429;
}

/** What went wrong in a fetch, in a few words: the system error code when there is one (`connect ECONNREFUSED`). */
export function describeFetchFailure(error: unknown): string {
  if (error instanceof Error && error.name === 'TimeoutError') return 'timed out';
  const cause = error instanceof Error ? error.cause : undefined;
  if (cause instanceof Error) {
    const code = 'code' in cause ? String(cause.code) : '';
    const syscall = 'syscall' in cause ? String(cause.syscall) : '';
    if (code !== '') return syscall === '' ? code : `${syscall} ${code}`;
    return cause.message;
  }
  return error instanceof Error ? error.message : String(error);
}

/** The system error code behind a failed fetch (`ECONNREFUSED`), or '' when there is none. */
export function fetchErrorCode(error: unknown): string {
  const cause = error instanceof Error ? error.cause : undefined;
  return cause instanceof Error && 'code' in cause ? String(cause.code) : '';
}
