import { describe, expect, it } from 'vitest';
import { sampleEvent } from './test-helpers/events.js';
import { eventAttributes, matchesFilter } from './trigger-filter.js';

const ping = sampleEvent({ type: 'dev.knative.sources.ping', source: '/apis/v1/namespaces/movierec/pingsources/evaluation-tick', key: '326332' });

describe('matchesFilter', () => {
  it.each([
    ['no filter', undefined, true],
    ['an empty filter', {}, true],
    ['the type alone', { type: 'dev.knative.sources.ping' }, true],
    ['type and source', { type: 'dev.knative.sources.ping', source: '/apis/v1/namespaces/movierec/pingsources/evaluation-tick' }, true],
    ['another source', { type: 'dev.knative.sources.ping', source: '/apis/v1/namespaces/movierec/pingsources/retrain-schedule' }, false],
    ['another type', { type: 'io.movierec.model.trained.v1' }, false],
    ['a case difference', { type: 'DEV.knative.sources.ping' }, false],
    ['an extension', { key: '326332' }, true],
    ['another extension value', { key: '1' }, false],
    ['an extension the event lacks', { region: 'eu' }, false],
    ['any value of a present extension', { key: '' }, true],
    ['an unset standard attribute, as empty', { subject: '' }, true],
    ['an unset standard attribute, with a value', { subject: 'x' }, false],
    ['the media type', { datamediatype: 'application/json' }, true],
  ])('%s → %s', (_what, filter, expected) => {
    expect(matchesFilter(filter, ping)).toBe(expected);
  });

  it('sees every attribute as a string, but never the data', () => {
    const attributes = eventAttributes(ping);
    expect(attributes.get('specversion')).toBe('1.0');
    expect(attributes.has('data')).toBe(false);
  });
});
