import { CloudEvent } from 'cloudevents';
import { describe, expect, it } from 'vitest';
import type { Delivery, EventOutcome } from './cloud-event-batch.js';
import { BATCH_CONTENT_TYPE, decodeDelivery, decodeStructured, encodeBatch } from './cloud-event-batch.js';
import { buildEvent, encodeEvent } from './cloud-event-codec.js';
import { KAFKA_RECORD_TYPE, eventSource } from './event-types.js';
import { RECOMMENDATION_SERVED } from './events/recommendation-served.js';

const SOURCE = '/apis/v1/namespaces/movierec/kafkasources/movielog#movielog';
const LINE = '2022-03-18T06:12:47,326332,GET /data/m/ghostbusters+1984/54.mpg';

/** A KafkaSource record event, as the platform builds it: the line as text data. */
const record = (offset: number, line = LINE) =>
  new CloudEvent<string>({ specversion: '1.0', id: `partition:0/offset:${offset}`, source: SOURCE, type: KAFKA_RECORD_TYPE, datacontenttype: 'text/plain', data: line, key: '326332' });

function events(delivery: Delivery): readonly EventOutcome[] {
  expect(delivery.ok).toBe(true);
  return delivery.ok ? delivery.events : [];
}

describe('encodeBatch / decodeDelivery', () => {
  it('round-trips a batch, each event with its id, type, extensions and text data', () => {
    const batch = [record(1), record(2, '2022-03-18T05:53:29,162591,GET /rate/the+incredibles+2004=4')];
    const message = encodeBatch(batch);
    expect(message.headers['content-type']).toBe(`${BATCH_CONTENT_TYPE}; charset=utf-8`);
    const delivery = decodeDelivery(message);
    expect(delivery).toMatchObject({ ok: true, mode: 'batch' });
    expect(events(delivery).map((o) => (o.ok ? [o.event.id, o.event.type, o.event.key, o.event.data] : o.reasons))).toEqual([
      ['partition:0/offset:1', KAFKA_RECORD_TYPE, '326332', LINE],
      ['partition:0/offset:2', KAFKA_RECORD_TYPE, '326332', '2022-03-18T05:53:29,162591,GET /rate/the+incredibles+2004=4'],
    ]);
  });

  it('refuses a bad element on its own, keeping what identity it had, and decodes the rest', () => {
    const good = record(1).toJSON();
    const body = JSON.stringify([good, { ...good, id: 'partition:0/offset:2', source: undefined }, 'nope', { ...good, id: 'partition:0/offset:4', time: 'yesterday' }]);
    const outcomes = events(decodeDelivery({ headers: { 'Content-Type': BATCH_CONTENT_TYPE }, body }));
    expect(outcomes.map((o) => o.ok)).toEqual([true, false, false, false]);
    expect(outcomes[1]).toMatchObject({ reasons: ['not a valid CloudEvent: source: required'], identity: { id: 'partition:0/offset:2', type: KAFKA_RECORD_TYPE } });
    expect(outcomes[2]).toMatchObject({ reasons: ['not a valid CloudEvent: not a JSON object'], identity: {}, raw: '"nope"' });
    expect(outcomes[3]).toMatchObject({ identity: { id: 'partition:0/offset:4', source: SOURCE } });
    expect(outcomes[3].ok ? '' : outcomes[3].reasons[0]).toMatch(/^not a valid CloudEvent: invalid payload: \/time must match format "date-time"/);
  });

  it('never invents an id for a structured event without one', () => {
    const { id: _id, ...anonymous } = record(1).toJSON();
    expect(decodeStructured(anonymous)).toMatchObject({ ok: false, reasons: ['not a valid CloudEvent: id: required'] });
  });

  it.each([
    ['a body that is not JSON', '[{"id":', /^not a CloudEvents batch: /],
    ['a JSON object', '{"id":"1"}', /^not a CloudEvents batch: the body is not a JSON array$/],
  ])('refuses a batch that is %s', (_what, body, reason) => {
    const delivery = decodeDelivery({ headers: { 'content-type': BATCH_CONTENT_TYPE }, body });
    expect(delivery.ok).toBe(false);
    expect(delivery.ok ? '' : delivery.reasons[0]).toMatch(reason);
  });

  it('refuses a batch longer than the limit', () => {
    const delivery = decodeDelivery(encodeBatch([record(1), record(2), record(3)]), { maxBatch: 2 });
    expect(delivery).toEqual({ ok: false, reasons: ['a batch of 3 events exceeds 2'] });
  });
});

describe('decodeDelivery of one event', () => {
  const served = buildEvent({ type: RECOMMENDATION_SERVED, source: eventSource('recommend'), data: { user: '1' }, id: 'e-1' });

  it.each(['binary', 'structured'] as const)('decodes a %s-mode event with JSON data', (encoding) => {
    const delivery = decodeDelivery(encodeEvent(served, encoding));
    expect(delivery).toMatchObject({ ok: true, mode: encoding });
    expect(events(delivery)[0]).toMatchObject({ ok: true, event: { id: 'e-1', type: RECOMMENDATION_SERVED, data: { user: '1' } } });
  });

  it('reads a binary-mode record as text whatever its content type, from a string or bytes', () => {
    const { headers, body } = encodeEvent(record(7), 'binary');
    const { 'content-type': _type, ...untyped } = headers;
    for (const message of [{ headers, body }, { headers: untyped, body }, { headers, body: Buffer.from(body) }]) {
      expect(events(decodeDelivery(message))[0]).toMatchObject({ ok: true, event: { id: 'partition:0/offset:7', data: LINE } });
    }
  });

  it('keeps the identity of a binary-mode event whose JSON data is broken', () => {
    const { headers } = encodeEvent(served, 'binary');
    expect(events(decodeDelivery({ headers, body: '{"user":' }))[0]).toMatchObject({
      ok: false,
      identity: { id: 'e-1', source: '/movierec/recommend', type: RECOMMENDATION_SERVED },
      raw: '{"user":',
    });
  });

  it('names the missing binary-mode attributes', () => {
    const { headers, body } = encodeEvent(served, 'binary');
    const { 'ce-id': _id, 'ce-source': _source, ...partial } = headers;
    expect(events(decodeDelivery({ headers: partial, body }))[0]).toMatchObject({ ok: false, reasons: ['not a valid CloudEvent: missing ce-id, ce-source'] });
  });

  it.each([
    ['no CloudEvent headers', { 'content-type': 'application/json' }, '{}', 'not a valid CloudEvent: no ce-specversion header'],
    ['a structured body that is not JSON', { 'content-type': 'application/cloudevents+json' }, 'nope', /^not a valid CloudEvent: Unexpected token/],
  ])('refuses the whole delivery for %s', (_what, headers, body, reason) => {
    const delivery = decodeDelivery({ headers, body });
    expect(delivery.ok).toBe(false);
    expect(delivery.ok ? '' : delivery.reasons[0]).toMatch(reason);
  });
});
