import { describe, expect, it } from 'vitest';
import { deployFirst, promote, rollBack, setCanaryShare, startCanary } from './rollout-actions.js';
import { MemoryPlatform } from './test-helpers/memory-platform.js';

const clock = () => new Date('2026-12-04T10:00:00.000Z');

async function withCanary(): Promise<MemoryPlatform> {
  const platform = new MemoryPlatform({ now: clock });
  await deployFirst(platform, '/models/svd/a');
  await startCanary(platform, '/models/svdpp/b', 10);
  return platform;
}

const split = async (platform: MemoryPlatform) =>
  (await platform.describe()).revisions.map((r) => ({ name: r.name, percent: r.percent, tag: r.tag }));

describe('canary moves', () => {
  it('promote gives the candidate all traffic and the champion tag, and the old champion leaves', async () => {
    const platform = await withCanary();
    expect(await promote(platform)).toEqual({ revision: 'recommend-00002', champion: 'recommend-00001', percent: 100 });
    expect(await split(platform)).toEqual([{ name: 'recommend-00002', percent: 100, tag: 'champion' }]);
  });

  it('roll back returns the candidate share to the champion and removes the candidate', async () => {
    const platform = await withCanary();
    expect(await rollBack(platform)).toEqual({ revision: 'recommend-00002', champion: 'recommend-00001', percent: 0 });
    expect(await split(platform)).toEqual([{ name: 'recommend-00001', percent: 100, tag: 'champion' }]);
  });

  it('steps the canary share up and keeps both tags', async () => {
    const platform = await withCanary();
    await setCanaryShare(platform, 50);
    expect(await split(platform)).toEqual([
      { name: 'recommend-00001', percent: 50, tag: 'champion' },
      { name: 'recommend-00002', percent: 50, tag: 'candidate' },
    ]);
  });

  it('does nothing without a candidate (a redelivered decision finds the work done)', async () => {
    const platform = new MemoryPlatform({ now: clock });
    await deployFirst(platform, '/models/svd/a');
    expect(await promote(platform)).toBeNull();
    expect(await rollBack(platform)).toBeNull();
    expect(await setCanaryShare(platform, 50)).toBeNull();
    expect(await split(platform)).toEqual([{ name: 'recommend-00001', percent: 100, tag: 'champion' }]);
  });
});
