import { describe, expect, it } from 'vitest';
import type { KnativeService } from './knative-shapes.js';
import { nextSplit, specSplit } from './knative-state.js';

const service = (spec: KnativeService['spec']['traffic'], status: NonNullable<KnativeService['status']>): KnativeService => ({
  apiVersion: 'serving.knative.dev/v1',
  kind: 'Service',
  metadata: { name: 'recommend', resourceVersion: '1' },
  spec: { template: { spec: { containers: [{ image: 'movierec' }] } }, traffic: spec },
  status,
});

describe('the split a deploy writes', () => {
  it('pins a latestRevision target to the revision it routes to now, so a new template moves nothing by itself', () => {
    const manifest = service([{ latestRevision: true, percent: 100, tag: 'champion' }], {
      latestReadyRevisionName: 'recommend-00001',
      traffic: [{ latestRevision: true, revisionName: 'recommend-00001', percent: 100, tag: 'champion' }],
    });
    expect(specSplit(manifest)).toEqual([{ revisionName: 'recommend-00001', percent: 100, tag: 'champion' }]);
  });

  it('drops a latestRevision target that resolves to nothing yet (the bootstrap revision never got ready)', () => {
    const bootstrap = service([{ latestRevision: true, percent: 100, tag: 'champion' }], { latestCreatedRevisionName: 'recommend-00001' });
    expect(specSplit(bootstrap)).toEqual([]);
    expect(nextSplit(specSplit(bootstrap), { revisionName: 'recommend-ab12cd', percent: 100, tag: 'champion' })).toEqual([
      { revisionName: 'recommend-ab12cd', percent: 100, tag: 'champion' },
    ]);
  });

  it('gives a canary its percent, scales the others pro rata to still sum to 100, and moves its tag', () => {
    const current = [
      { revisionName: 'recommend-a', percent: 67, tag: 'champion' },
      { revisionName: 'recommend-b', percent: 33, tag: 'candidate' },
    ];
    expect(nextSplit(current, { revisionName: 'recommend-c', percent: 10, tag: 'candidate' })).toEqual([
      { revisionName: 'recommend-a', percent: 60, tag: 'champion' },
      { revisionName: 'recommend-b', percent: 30 },
      { revisionName: 'recommend-c', percent: 10, tag: 'candidate' },
    ]);
  });

  it('takes all traffic when nothing else serves, and leaves out revisions with neither share nor tag', () => {
    const current = [
      { revisionName: 'recommend-a', percent: 0 },
      { revisionName: 'recommend-b', percent: 0, tag: 'candidate' },
    ];
    expect(nextSplit(current, { revisionName: 'recommend-c', percent: 10, tag: 'champion' })).toEqual([
      { revisionName: 'recommend-b', percent: 0, tag: 'candidate' },
      { revisionName: 'recommend-c', percent: 100, tag: 'champion' },
    ]);
  });
});
