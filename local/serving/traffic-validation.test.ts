import { describe, expect, it } from 'vitest';
import type { RevisionPhase } from './revision.js';
import type { ParsedTarget } from './traffic-validation.js';
import { parseTargets, trafficProblems } from './traffic-validation.js';

const phases = new Map<string, RevisionPhase>([
  ['recommend-00001', 'ready'],
  ['recommend-00002', 'ready'],
  ['recommend-00003', 'starting'],
  ['recommend-00004', 'draining'],
  ['recommend-00005', 'failed'],
]);
const t = (revision: string, percent: number, tag: ParsedTarget['tag'] = null): ParsedTarget => ({ revision, percent, tag });

describe('trafficProblems', () => {
  it('accepts a split of ready revisions summing to 100, with 0 % targets that are not ready', () => {
    expect(trafficProblems([t('recommend-00001', 90, 'champion'), t('recommend-00002', 10, 'candidate')], phases)).toEqual([]);
    expect(trafficProblems([t('recommend-00001', 100), t('recommend-00003', 0, 'candidate'), t('recommend-00005', 0)], phases)).toEqual([]);
  });

  it.each([
    ['an empty split', [], ['traffic must name at least one revision']],
    ['an unknown revision', [t('recommend-00001', 50), t('recommend-00009', 50)], ['revision recommend-00009 does not exist']],
    ['percents that do not sum to 100', [t('recommend-00001', 60), t('recommend-00002', 30)], ['percents sum to 90, not 100']],
    ['a revision named twice', [t('recommend-00001', 50), t('recommend-00001', 50)], ['revision recommend-00001 is named more than once']],
    ['a share for a starting revision', [t('recommend-00001', 90), t('recommend-00003', 10)], ['revision recommend-00003 is not ready (starting) and cannot take 10 %']],
    ['a share for a failed revision', [t('recommend-00005', 100)], ['revision recommend-00005 is not ready (failed) and cannot take 100 %']],
    ['a draining revision', [t('recommend-00001', 100), t('recommend-00004', 0)], ['revision recommend-00004 is draining']],
    ['a tag on two revisions', [t('recommend-00001', 50, 'champion'), t('recommend-00002', 50, 'champion')], ['tag champion is given to 2 revisions']],
  ])('names %s', (_what, targets, reasons) => {
    expect(trafficProblems(targets, phases)).toEqual(reasons);
  });

  it('names every problem at once', () => {
    const reasons = trafficProblems([t('recommend-00003', 20), t('recommend-00009', 20)], phases);
    expect(reasons).toEqual([
      'revision recommend-00003 is not ready (starting) and cannot take 20 %',
      'revision recommend-00009 does not exist',
      'percents sum to 40, not 100',
    ]);
  });
});

describe('parseTargets', () => {
  it('defaults the tag to null', () => {
    expect(parseTargets([{ revision: 'recommend-00001', percent: 100 }])).toEqual({ ok: true, targets: [t('recommend-00001', 100)] });
  });

  it('names the field of each bad target', () => {
    const parsed = parseTargets([{ revision: '', percent: 100 }, { revision: 'x', percent: 101, tag: 'canary' }]);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.reasons).toHaveLength(3);
    expect(parsed.reasons[0]).toMatch(/^0\.revision: /);
    expect(parsed.reasons[1]).toMatch(/^1\.percent: /);
    expect(parsed.reasons[2]).toMatch(/^1\.tag: /);
  });
});
