import { CloudEvent } from 'cloudevents';
import { describe, expect, it } from 'vitest';
import type { StoredRecord } from '../../lib/events/stored-record.js';
import { StoredRecordSchema } from '../../lib/events/stored-record.js';
import type { EventOutcome } from '../../lib/messaging/cloud-event-batch.js';
import { KAFKA_RECORD_TYPE } from '../../lib/messaging/event-types.js';
import { deadLetterOf, MAX_REJECT_LINE, recordOf } from './event-records.js';
import { KAFKA_SOURCE, WATCH, kafkaEvent, servedEvent } from './test-helpers/ingest-fixtures.js';

const context = { receivedAt: Date.parse('2026-11-26T10:15:01.000Z') };
const ok = (event: CloudEvent<unknown>): EventOutcome => ({ ok: true, event });
const withData = (data: unknown) => new CloudEvent<unknown>({ specversion: '1.0', id: 'partition:0/offset:5', source: KAFKA_SOURCE, type: KAFKA_RECORD_TYPE, data });

/** What a reader would make of the record: it must pass the store's schema, or it would be skipped as corrupt. */
function readable(record: StoredRecord): StoredRecord {
  expect(StoredRecordSchema.safeParse(JSON.parse(JSON.stringify(record))).success).toBe(true);
  return record;
}

describe('recordOf', () => {
  it.each([
    ['a trailing newline', `${WATCH}\n`],
    ['a trailing CRLF', `${WATCH}\r\n`],
    ['UTF-8 bytes', new TextEncoder().encode(WATCH)],
  ])('reads a record line with %s', (_what, data) => {
    expect(readable(recordOf(ok(withData(data)), context))).toMatchObject({ kind: 'watch', line: WATCH });
  });

  it('rejects a record whose data is JSON, not a line', () => {
    expect(readable(recordOf(ok(withData({ line: WATCH })), context))).toMatchObject({
      kind: 'rejects',
      reason: 'bad-payload',
      detail: 'the record is not text',
      line: JSON.stringify({ line: WATCH }),
    });
  });

  it('keeps the head of an over-long line, saying how long it was', () => {
    const line = `${WATCH}${'x'.repeat(40_000)}`;
    const record = readable(recordOf(ok(kafkaEvent(1, line)), context));
    expect(record).toMatchObject({ kind: 'rejects', reason: 'too-long' });
    expect(record.kind === 'rejects' && record.line).toBe(line.slice(0, MAX_REJECT_LINE));
    expect(record.kind === 'rejects' && record.detail).toContain(`(kept the first ${MAX_REJECT_LINE} of ${line.length} characters)`);
  });

  it('keys an event the store cannot key by its content instead', () => {
    const long = kafkaEvent(1, WATCH).cloneWith({ id: 'x'.repeat(2000) });
    const first = readable(recordOf(ok(long), context));
    expect(first).toMatchObject({ kind: 'rejects', source: '/movierec/ingest', reason: 'bad-envelope', detail: 'id longer than 1024 characters' });
    expect(first.id).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(recordOf(ok(long), context).id).toBe(first.id);
  });

  it('keys a refusal with its own (source, id) when it had them', () => {
    const refused: EventOutcome = { ok: false, reasons: ['not a valid CloudEvent: time: bad'], identity: { id: 'partition:0/offset:8', source: KAFKA_SOURCE }, raw: '{}' };
    expect(readable(recordOf(refused, context))).toMatchObject({ source: KAFKA_SOURCE, id: 'partition:0/offset:8', reason: 'bad-envelope', line: '{}' });
  });
});

describe('deadLetterOf', () => {
  it('keeps binary data as data_base64, and files the letter under the event time', () => {
    const bytes = servedEvent('s-1').cloneWith({ datacontenttype: 'application/octet-stream', data: new Uint8Array([0, 255, 1]) }, false);
    const record = readable(deadLetterOf(ok(bytes), context));
    expect(record).toMatchObject({ kind: 'dead_letter', time: Date.parse('2026-11-26T10:15:00.010Z'), event: { data_base64: 'AP8B' } });
  });
});
