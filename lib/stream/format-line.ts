import type { CourseEvent } from './events.js';

/**
 * Render an event as the course log line it stands for (no line end).
 * The inverse of `parseLine` on canonical lines: `formatLine(event)` spells
 * ids canonically (user ids without leading zeros, movie ids decoded), the
 * timestamp exactly as it was received, and a failed request's error text
 * verbatim. Events that pass CourseEventSchema always format to a line that
 * parses back to an equal event.
 */
export function formatLine(event: CourseEvent): string {
  const head = `${event.timestamp},${event.user},`;
  switch (event.kind) {
    case 'watch':
      return `${head}GET /data/m/${event.movie}/${event.minute}.mpg`;
    case 'rate':
      return `${head}GET /rate/${event.movie}=${event.rating}`;
    case 'request': {
      const result = event.error ?? event.results.join(', ');
      return `${head}recommendation request ${event.host}:${event.port}, status ${event.status}, result: ${result}, ${event.latencyMs} ms`;
    }
    case 'create_account':
      return `${head}GET /create_account`;
  }
}
