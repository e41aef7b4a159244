import { describe, expect, it } from 'vitest';
import { dvcStages, hasParam } from './dvc-stages.js';

const PARAMS = 'train:\n  algorithms: [svd, als]\n  k: 20\nalgorithms:\n  svd: {factors: 8}\n';

describe('dvcStages', () => {
  it('keeps file order, expands foreach over a params list, and fills ${…} from params.yaml and item', () => {
    const dvc = [
      'stages:',
      '  prepare:',
      '    cmd: movierec prepare --k ${train.k}',
      '    outs: [data/prepared]',
      '  train:',
      '    foreach: ${train.algorithms}',
      '    do:',
      '      cmd: movierec train -a ${item}',
      '      deps: [data/prepared]',
      '      params:',
      '        - algorithms.${item}',
      '      outs:',
      '        - models/${item}',
      '      metrics:',
      '        - metrics/${item}.json:',
      '            cache: false',
      '',
    ].join('\n');
    expect(dvcStages(dvc, PARAMS)).toEqual([
      { name: 'prepare', cmd: 'movierec prepare --k 20', deps: [], params: [], outs: ['data/prepared'], metrics: [], plots: [] },
      { name: 'train@svd', cmd: 'movierec train -a svd', deps: ['data/prepared'], params: ['algorithms.svd'], outs: ['models/svd'], metrics: ['metrics/svd.json'], plots: [] },
      { name: 'train@als', cmd: 'movierec train -a als', deps: ['data/prepared'], params: ['algorithms.als'], outs: ['models/als'], metrics: ['metrics/als.json'], plots: [] },
    ]);
  });

  it('names a reference params.yaml lacks, and a stage field DVC would not take', () => {
    expect(() => dvcStages('stages:\n  a:\n    cmd: movierec x ${train.nope}\n', PARAMS)).toThrow(/\$\{train\.nope\}: params\.yaml has no train\.nope/);
    expect(() => dvcStages('stages:\n  a:\n    cmd: movierec x\n    output: [y]\n', PARAMS)).toThrow(/dvc\.yaml: .*output/);
  });

  it('answers whether params.yaml holds a dotted key', () => {
    expect(hasParam(PARAMS, 'algorithms.svd')).toBe(true);
    expect(hasParam(PARAMS, 'train.k')).toBe(true);
    expect(hasParam(PARAMS, 'algorithms.svdpp')).toBe(false);
    expect(hasParam(PARAMS, 'train.k.more')).toBe(false);
  });
});
