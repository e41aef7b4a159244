/**
 * The error family. Every error movierec raises on purpose is a MovierecError:
 * it says whether retrying can help (`retriable`) and carries the context a
 * reader needs to act on it. Callers retry only retriable errors.
 */
export class MovierecError extends Error {
  readonly retriable: boolean;

  constructor(message: string, options: { retriable?: boolean; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.retriable = options.retriable ?? false;
  }
}

/** A data file that cannot be read as its format says: `file:line: what is wrong`. */
export class DataFileError extends MovierecError {
  readonly file: string;
  readonly line: number | undefined;

  constructor(file: string, line: number | undefined, what: string, options: { cause?: unknown } = {}) {
    super(line === undefined ? `${file}: ${what}` : `${file}:${line}: ${what}`, options);
    this.file = file;
    this.line = line;
  }
}

/** Hyper-parameters, options or arguments that fail validation. */
export class InvalidArgumentError extends MovierecError {}

/** A model bundle that is missing, corrupt, truncated or of an unknown format. */
export class BundleError extends MovierecError {
  readonly location: string;

  constructor(location: string, what: string, options: { cause?: unknown; retriable?: boolean } = {}) {
    super(`${location}: ${what}`, options);
    this.location = location;
  }
}

/** Turn a zod error's issues into one line per issue: `path: message`. */
export function formatIssues(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>): string {
  return issues
    .map((issue) => (issue.path.length > 0 ? `${issue.path.map(String).join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}
