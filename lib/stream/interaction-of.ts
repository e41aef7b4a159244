import type { InteractionRecord } from '../data/records.js';
import type { CourseEvent } from './events.js';

/**
 * The interaction a course event records: a watched minute or a rating.
 * Requests and account creations record none (undefined). The inverse of
 * `recordLine`.
 */
export function interactionOf(event: CourseEvent): InteractionRecord | undefined {
  switch (event.kind) {
    case 'watch':
      return { user: event.user, movie: event.movie, kind: 'watch', value: event.minute, time: event.time };
    case 'rate':
      return { user: event.user, movie: event.movie, kind: 'rate', value: event.rating, time: event.time };
    default:
      return undefined;
  }
}
