import { describe, expect, it } from 'vitest';
import type { RevisionState } from './platform.js';
import { serviceRoles, servingRevision, trafficWithout } from './service-roles.js';

const revision = (name: string, percent: number, tag: RevisionState['tag'], ready = true, createdAt = '2026-11-26T10:00:00.000Z'): RevisionState => ({
  name,
  modelUri: `/models/svd/${name}`,
  modelVersion: ready ? name : null,
  ready,
  percent,
  tag,
  createdAt,
});

describe('serviceRoles', () => {
  it('takes the revisions tagged champion and candidate', () => {
    const state = { revisions: [revision('r1', 90, 'champion'), revision('r2', 10, 'candidate')] };
    expect(serviceRoles(state)).toEqual({ champion: state.revisions[0], candidate: state.revisions[1] });
  });

  it('without a champion tag, takes the ready revision with the largest share (ties: the newer)', () => {
    const state = {
      revisions: [
        revision('r1', 40, null, true, '2026-11-26T09:00:00.000Z'),
        revision('r2', 40, null, true, '2026-11-26T10:00:00.000Z'),
        revision('r3', 20, null, false),
      ],
    };
    expect(serviceRoles(state).champion?.name).toBe('r2');
  });

  it('finds no champion when nothing ready has traffic', () => {
    expect(serviceRoles({ revisions: [revision('r1', 0, null), revision('r2', 100, null, false)] })).toEqual({ champion: null, candidate: null });
  });
});

describe('trafficWithout', () => {
  it('hands the removed revision’s share to the champion and keeps the rest of the split', () => {
    const state = { revisions: [revision('r1', 80, 'champion'), revision('r2', 15, 'candidate'), revision('r3', 5, null), revision('r4', 0, null)] };
    expect(trafficWithout(state, 'r2', 'r1')).toEqual([
      { revision: 'r1', percent: 95, tag: 'champion' },
      { revision: 'r3', percent: 5, tag: null },
    ]);
  });
});

describe('servingRevision', () => {
  it('finds a revision serving a bundle with traffic or a tag, not a drained one', () => {
    const state = { revisions: [revision('r1', 100, 'champion'), revision('r2', 0, null)] };
    expect(servingRevision(state, '/models/svd/r1')?.name).toBe('r1');
    expect(servingRevision(state, '/models/svd/r2')).toBeNull();
  });
});
