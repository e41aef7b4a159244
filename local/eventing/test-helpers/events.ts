import { CloudEvent } from 'cloudevents';

/** A small movierec-looking event for eventing tests. */
export function sampleEvent(overrides: Record<string, unknown> = {}): CloudEvent<unknown> {
  return new CloudEvent<unknown>({
    specversion: '1.0',
    id: 'e-1',
    type: 'io.movierec.model.trained.v1',
    source: '/movierec/train',
    datacontenttype: 'application/json',
    data: { version: 'svd-1' },
    ...overrides,
  });
}
