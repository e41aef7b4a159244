import { describe, expect, it } from 'vitest';
import { csrFromCoo } from '../data/csr.js';
import { alsObjective } from './als-loss.js';
import { Rng } from './rng.js';

describe('alsObjective', () => {
  it('equals the brute-force sum over every user–movie pair, per observed entry', () => {
    const rng = new Rng(11);
    const k = 2;
    const nUsers = 3;
    const nMovies = 4;
    const weights = csrFromCoo(nUsers, nMovies, [0, 0, 1, 2], [0, 3, 1, 1], [4, 0.5, 2, 9]);
    const x = Float64Array.from({ length: nUsers * k }, () => rng.normal());
    const y = Float64Array.from({ length: nMovies * k }, () => rng.normal());
    const reg = 0.2;
    let total = 0;
    for (let u = 0; u < nUsers; u++) {
      for (let i = 0; i < nMovies; i++) {
        const s = x[u * k] * y[i * k] + x[u * k + 1] * y[i * k + 1];
        let c = 1;
        let p = 0;
        for (let q = weights.indptr[u]; q < weights.indptr[u + 1]; q++) {
          if (weights.indices[q] === i) {
            c = 1 + weights.values[q];
            p = 1;
          }
        }
        total += c * (p - s) ** 2;
      }
    }
    for (const v of x) total += reg * v * v;
    for (const v of y) total += reg * v * v;
    expect(alsObjective(weights, x, y, k, reg)).toBeCloseTo(total / 4, 10);
  });

  it('is NaN with no observed entries', () => {
    const empty = csrFromCoo(1, 1, [], [], []);
    expect(alsObjective(empty, new Float64Array(1), new Float64Array(1), 1, 0.1)).toBeNaN();
  });
});
