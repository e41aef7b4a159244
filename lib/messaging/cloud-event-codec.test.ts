import { describe, expect, it } from 'vitest';
import { buildEvent, decodeEvent, encodeEvent, ENCODINGS } from './cloud-event-codec.js';
import { eventSource, isEventType } from './event-types.js';
import type { RecommendationServed } from './events/recommendation-served.js';
import { RECOMMENDATION_SERVED, RecommendationServedSchema } from './events/recommendation-served.js';

const served: RecommendationServed = {
  user: '326332',
  movies: ['the+shining+1980', 'interstellar+2014'],
  modelVersion: 'svd-20261126T101500.000Z-1a2b3c4d',
  revision: 'recommend-00002',
  latencyMs: 0.42,
  fallback: false,
  servedAt: '2026-11-26T10:15:00.000Z',
};
const event = buildEvent({
  type: RECOMMENDATION_SERVED,
  source: eventSource('recommend'),
  data: served,
  id: 'e-1',
  time: new Date('2026-11-26T10:15:00.000Z'),
});

describe('encodeEvent / decodeEvent', () => {
  it.each(ENCODINGS)('round-trips a served event in %s mode', (encoding) => {
    const message = encodeEvent(event, encoding);
    const decoded = decodeEvent(message, RecommendationServedSchema, { type: RECOMMENDATION_SERVED });
    expect(decoded).toMatchObject({ ok: true, data: served });
    if (!decoded.ok) return;
    expect(decoded.event).toMatchObject({ id: 'e-1', type: RECOMMENDATION_SERVED, source: '/movierec/recommend', specversion: '1.0' });
    expect(decoded.event.time).toBe('2026-11-26T10:15:00.000Z');
  });

  it('puts the attributes in ce- headers in binary mode and in the body in structured mode', () => {
    expect(encodeEvent(event, 'binary')).toMatchObject({
      headers: { 'ce-type': RECOMMENDATION_SERVED, 'ce-source': '/movierec/recommend', 'ce-id': 'e-1', 'content-type': 'application/json' },
      body: JSON.stringify(served),
    });
    const structured = encodeEvent(event, 'structured');
    expect(structured.headers['content-type']).toMatch(/^application\/cloudevents\+json/);
    expect(JSON.parse(structured.body)).toMatchObject({ id: 'e-1', data: served });
  });

  it('decodes a body a framework has already parsed, and a Buffer', () => {
    const binary = encodeEvent(event, 'binary');
    expect(decodeEvent({ headers: binary.headers, body: JSON.parse(binary.body) }, RecommendationServedSchema).ok).toBe(true);
    expect(decodeEvent({ headers: binary.headers, body: Buffer.from(binary.body) }, RecommendationServedSchema).ok).toBe(true);
  });

  const binary = encodeEvent(event, 'binary');
  it.each([
    ['no CloudEvent headers', { headers: { 'content-type': 'application/json' }, body: '{}' }, /^not a valid CloudEvent: no cloud event detected/],
    ['a missing source', { headers: { ...binary.headers, 'ce-source': '' }, body: binary.body }, /^not a valid CloudEvent/],
    ['a body that is not JSON', { headers: binary.headers, body: '{"user":' }, /^not a valid CloudEvent/],
    ['a structured body that is not JSON', { headers: { 'content-type': 'application/cloudevents+json' }, body: 'nope' }, /^not a valid CloudEvent/],
    ['a foreign type', { headers: { ...binary.headers, 'ce-type': 'com.example.thing.v1' }, body: binary.body }, /^type: unknown event type "com.example.thing.v1"/],
    ['another movierec type', { headers: { ...binary.headers, 'ce-type': 'io.movierec.model.trained.v1' }, body: binary.body }, /^type: expected io.movierec.recommendation.served.v1/],
    ['data that fails the schema', { headers: binary.headers, body: JSON.stringify({ ...served, user: 'abc', latencyMs: -1 }) }, /^data: user: expected 1 to 12 decimal digits; latencyMs:/],
  ])('answers reasons for %s, never throwing', (_what, message, reason) => {
    const decoded = decodeEvent(message, RecommendationServedSchema, { type: RECOMMENDATION_SERVED });
    expect(decoded.ok).toBe(false);
    if (decoded.ok) return;
    expect(decoded.reasons[0]).toMatch(reason);
  });

  it('keeps the event id with the reasons when the envelope was readable', () => {
    const decoded = decodeEvent({ headers: binary.headers, body: '{}' }, RecommendationServedSchema);
    expect(decoded).toMatchObject({ ok: false, id: 'e-1' });
  });

  it('refuses a batch where one event is expected', () => {
    const batch = { headers: { 'content-type': 'application/cloudevents-batch+json' }, body: JSON.stringify([JSON.parse(encodeEvent(event, 'structured').body)]) };
    expect(decodeEvent(batch, RecommendationServedSchema)).toEqual({ ok: false, reasons: ['a batch of CloudEvents where one event was expected'] });
  });
});

describe('event types', () => {
  it('is a closed set with a guard', () => {
    expect(isEventType(RECOMMENDATION_SERVED)).toBe(true);
    expect(isEventType('io.movierec.recommendation.served.v2')).toBe(false);
  });
});

describe('buildEvent', () => {
  it('fills id and time when not given, and carries JSON data', () => {
    const built = buildEvent({ type: RECOMMENDATION_SERVED, source: '/movierec/recommend', data: served });
    expect(built.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Number.isNaN(Date.parse(built.time ?? ''))).toBe(false);
    expect(built).toMatchObject({ datacontenttype: 'application/json', data: served, specversion: '1.0' });
  });
});
