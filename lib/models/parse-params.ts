import type { z } from 'zod';
import { InvalidArgumentError, formatIssues } from '../errors.js';

/** Validate hyper-parameters with an algorithm's schema; every issue in one InvalidArgumentError. */
export function parseParams<P>(algorithm: string, schema: z.ZodType<P>, raw: unknown): P {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new InvalidArgumentError(`${algorithm}: ${formatIssues(parsed.error.issues)}`);
  return parsed.data;
}
