import { appendFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { CloudEvent } from 'cloudevents';

/**
 * The last resort: events that neither the subscriber nor the dead-letter
 * sink took (or that had no dead-letter sink) are appended, one JSON object
 * per line, to `<dataDir>/dead-letter.jsonl` — with why, so they can be read
 * and replayed.
 */

export const DEAD_LETTER_FILE = 'dead-letter.jsonl';

export interface DeadLetterEntry {
  readonly reason: string;
  readonly subscriber: string;
  readonly status: number;
  readonly attempts: number;
  readonly event: CloudEvent<unknown>;
}

export function deadLetterPath(dataDir: string): string {
  return join(dataDir, DEAD_LETTER_FILE);
}

/** Append entries in one write (lines are not interleaved with other appends of this process). */
export async function appendDeadLetters(dataDir: string, entries: readonly DeadLetterEntry[], now: Date = new Date()): Promise<void> {
  if (entries.length === 0) return;
  await mkdir(dataDir, { recursive: true });
  const at = now.toISOString();
  const text = entries
    .map(({ event, ...rest }) => `${JSON.stringify({ at, ...rest, event: event.toJSON() })}\n`)
    .join('');
  await appendFile(deadLetterPath(dataDir), text, 'utf8');
}
