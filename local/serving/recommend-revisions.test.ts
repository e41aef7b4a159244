import { afterEach, describe, expect, it } from 'vitest';
import { memoryLogger, silentLogger } from '../../lib/ops/logger.js';
import { RecommendRevisions } from './recommend-revisions.js';
import { TrafficError } from './serving-errors.js';
import type { FakeRevision } from './test-helpers/fake-revision.js';
import { startFakeRevision } from './test-helpers/fake-revision.js';
import { until } from './test-helpers/until.js';

let fakes: FakeRevision[] = [];
let table: RecommendRevisions | undefined;

afterEach(async () => {
  await table?.close();
  table = undefined;
  await Promise.all(fakes.map((fake) => fake.process.stop()));
  fakes = [];
});

/** A table whose n-th deploy gets the n-th fake process; `ready(name)` marks a revision's fake ready and waits for it. */
function revisions(logger = silentLogger) {
  const byName = new Map<string, FakeRevision>();
  const created = new RecommendRevisions({
    launch: async (name) => {
      const fake = await startFakeRevision(name);
      fakes.push(fake);
      byName.set(name, fake);
      return fake.process;
    },
    modelVersion: async (uri) => `version-of-${uri}`,
    logger,
    readyTimeoutMs: 30_000,
  });
  table = created;
  const fake = (name: string): FakeRevision => {
    const found = byName.get(name);
    if (found === undefined) throw new Error(`no fake for ${name}`);
    return found;
  };
  const ready = async (name: string) => {
    fake(name).markReady();
    expect(await created.settled(name)).toBe('ready');
  };
  const split = async () =>
    Object.fromEntries((await created.describe()).revisions.map((r) => [r.name, `${r.percent}${r.tag === null ? '' : ` ${r.tag}`}`]));
  return { table: created, fake, ready, split };
}

describe('RecommendRevisions', () => {
  it('gives a deployed revision no traffic until it is ready, then the first one all of it', async () => {
    const { table, ready, split } = revisions();
    const { revision } = await table.deploy({ modelUri: '/models/a', percent: 10 });
    expect(revision).toBe('recommend-00001');
    const [before] = (await table.describe()).revisions;
    expect(before).toMatchObject({ name: revision, modelUri: '/models/a', modelVersion: null, ready: false, percent: 0, tag: null });
    expect(table.pick(Math.random)).toBeUndefined();
    await ready(revision);
    const [after] = (await table.describe()).revisions;
    expect(after).toMatchObject({ modelVersion: 'version-of-/models/a', ready: true, percent: 100, tag: 'candidate' });
    expect(await split()).toEqual({ 'recommend-00001': '100 candidate' });
  });

  it('scales the others down pro rata when a deploy gets ready, and moves its tag', async () => {
    const { table, ready, split } = revisions();
    await table.deploy({ modelUri: 'a', percent: 100, tag: 'champion' });
    await ready('recommend-00001');
    await table.deploy({ modelUri: 'b', percent: 10 });
    expect(await split()).toEqual({ 'recommend-00001': '100 champion', 'recommend-00002': '0' });
    await ready('recommend-00002');
    expect(await split()).toEqual({ 'recommend-00001': '90 champion', 'recommend-00002': '10 candidate' });
    await table.deploy({ modelUri: 'c', percent: 10 });
    await ready('recommend-00003');
    // b lost the candidate tag to c but keeps a share, so it stays.
    expect(await split()).toEqual({ 'recommend-00001': '81 champion', 'recommend-00002': '9', 'recommend-00003': '10 candidate' });
  });

  it('drains the revisions a 100 % deploy leaves without share or tag', async () => {
    const { table, ready, split, fake } = revisions();
    await table.deploy({ modelUri: 'a', percent: 100, tag: 'champion' });
    await ready('recommend-00001');
    await table.deploy({ modelUri: 'b', percent: 20, tag: 'candidate' });
    await ready('recommend-00002');
    await table.deploy({ modelUri: 'c', percent: 100, tag: 'champion' });
    await ready('recommend-00003');
    // a lost its tag and its share: drained; b keeps its tag at 0 %.
    await until('a removed', async () => !(await table.describe()).revisions.some((r) => r.name === 'recommend-00001'));
    expect(fake('recommend-00001').stopped).toBe(true);
    expect(await split()).toEqual({ 'recommend-00002': '0 candidate', 'recommend-00003': '100 champion' });
  });

  it('refuses a bad split with every reason, and applies a good one, draining what it leaves out', async () => {
    const { table, ready, split, fake } = revisions();
    await table.deploy({ modelUri: 'a', percent: 100, tag: 'champion' });
    await ready('recommend-00001');
    await table.deploy({ modelUri: 'b', percent: 50 });
    const error = await table
      .setTraffic([{ revision: 'recommend-00002', percent: 60 }, { revision: 'recommend-00009', percent: 30 }])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrafficError);
    expect(error instanceof TrafficError ? error.reasons : []).toEqual([
      'revision recommend-00002 is not ready (starting) and cannot take 60 %',
      'revision recommend-00009 does not exist',
      'percents sum to 90, not 100',
    ]);
    expect(await split()).toEqual({ 'recommend-00001': '100 champion', 'recommend-00002': '0' });
    await ready('recommend-00002');
    await table.setTraffic([{ revision: 'recommend-00002', percent: 100, tag: 'champion' }]);
    await until('a removed', () => table.statuses().length === 1);
    expect(fake('recommend-00001').stopped).toBe(true);
    expect(await split()).toEqual({ 'recommend-00002': '100 champion' });
  });

  it('stops a starting revision that a split leaves out, without failing it', async () => {
    const { table, ready, fake } = revisions();
    await table.deploy({ modelUri: 'a', percent: 100, tag: 'champion' });
    await ready('recommend-00001');
    await table.deploy({ modelUri: 'b', percent: 50 });
    await table.setTraffic([{ revision: 'recommend-00001', percent: 100, tag: 'champion' }]);
    expect(await table.settled('recommend-00002')).toBe('draining');
    await until('b removed', () => table.statuses().length === 1);
    expect(fake('recommend-00002').stopped).toBe(true);
    expect(table.statuses().map((r) => r.name)).toEqual(['recommend-00001']);
  });

  it('fails a revision that exits before it is ready: no traffic, gone from the service, kept in statuses', async () => {
    const { logger, lines } = memoryLogger();
    const { table, ready, split, fake } = revisions(logger);
    await table.deploy({ modelUri: 'a', percent: 100, tag: 'champion' });
    await ready('recommend-00001');
    await table.deploy({ modelUri: 'broken', percent: 50 });
    await fake('recommend-00002').crash();
    expect(await table.settled('recommend-00002')).toBe('failed');
    expect(await split()).toEqual({ 'recommend-00001': '100 champion' });
    expect(table.statuses()[1]).toMatchObject({ name: 'recommend-00002', phase: 'failed', reason: 'recommend-00002: exited before ready' });
    expect(lines.some((l) => l.severity === 'ERROR' && l.revision === 'recommend-00002')).toBe(true);
  });

  it('takes a ready revision that exits out of the pick, keeping its share on paper', async () => {
    const { table, ready, fake } = revisions();
    await table.deploy({ modelUri: 'a', percent: 100, tag: 'champion' });
    await ready('recommend-00001');
    await fake('recommend-00001').crash();
    await until('a failed', async () => (await table.describe()).revisions[0].ready === false);
    expect((await table.describe()).revisions[0]).toMatchObject({ percent: 100, ready: false });
    expect(table.pick(Math.random)).toBeUndefined();
  });

  it('refuses a deploy that does not match the schema', async () => {
    const { table } = revisions();
    const error = await table.deploy({ modelUri: '', percent: 120 }).catch((e: unknown) => e);
    expect(error instanceof TrafficError ? error.reasons : error).toEqual([
      expect.stringMatching(/^modelUri: /),
      expect.stringMatching(/^percent: /),
    ]);
  });
});
