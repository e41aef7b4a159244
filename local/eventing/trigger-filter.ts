import type { CloudEvent } from 'cloudevents';

/**
 * A Trigger's `filter.attributes`, as Knative's attributes filter applies it:
 * every named attribute must equal the event's (context attributes and
 * extensions alike; values compared as strings). An extension the event does
 * not carry fails the filter; the empty string accepts any value
 * (`TriggerAnyFilter`). No filter, or an empty one, accepts every event.
 */

/** Context attributes Knative always puts in the map it filters on, empty when unset. */
const STANDARD = ['specversion', 'type', 'source', 'subject', 'id', 'time', 'dataschema', 'datacontenttype'] as const;
const NOT_ATTRIBUTES = new Set(['data', 'data_base64']);

function text(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (value instanceof Date) return value.toISOString();
  return typeof value === 'string' ? value : String(value);
}

/** The event's attributes (extensions included) as strings; `datamediatype` is the content type without parameters. */
export function eventAttributes(event: CloudEvent<unknown>): Map<string, string> {
  const attributes = new Map<string, string>();
  for (const name of STANDARD) attributes.set(name, '');
  for (const [name, value] of Object.entries(event)) {
    if (!NOT_ATTRIBUTES.has(name) && value !== undefined) attributes.set(name, text(value));
  }
  attributes.set('datamediatype', (attributes.get('datacontenttype') ?? '').split(';')[0].trim());
  return attributes;
}

export function matchesFilter(filter: Readonly<Record<string, string>> | undefined, event: CloudEvent<unknown>): boolean {
  if (filter === undefined) return true;
  const entries = Object.entries(filter);
  if (entries.length === 0) return true;
  const attributes = eventAttributes(event);
  return entries.every(([name, wanted]) => {
    const actual = attributes.get(name);
    return actual !== undefined && (wanted === '' || wanted === actual);
  });
}
