import { Matrix, solve } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { csrFromCoo } from '../data/csr.js';
import { AlsHalfStep, gramInto } from './als-solve.js';
import { Rng } from './rng.js';

describe('AlsHalfStep', () => {
  it('matches a hand-computed one-factor step', () => {
    // Y = [1, 2, 3]ᵀ (k = 1), λ = 0.5. User 0 watched movies 0 and 2 with
    // c − 1 = 1 and 3 (c = 2 and 4); user 1 watched nothing.
    //   A = YᵀY + Σ (c − 1) y_i² + λ = 14 + 1·1 + 3·9 + 0.5 = 42.5
    //   b = Σ c y_i = 2·1 + 4·3 = 14          x_0 = 14 / 42.5
    const weights = csrFromCoo(2, 3, [0, 0], [0, 2], [1, 3]);
    const x = Float64Array.of(9, 9);
    new AlsHalfStep(1, 0.5).solve(weights, Float64Array.of(1, 2, 3), x);
    expect(x[0]).toBeCloseTo(14 / 42.5, 14);
    expect(x[1]).toBe(0);
  });

  it('equals the dense normal equations (YᵀC_uY + λI)⁻¹ YᵀC_u p(u)', () => {
    const rng = new Rng(3);
    const k = 3;
    const nMovies = 6;
    const y = Float64Array.from({ length: nMovies * k }, () => rng.normal());
    const rows = [0, 0, 0, 1, 1, 2];
    const cols = [1, 3, 4, 0, 5, 2];
    const vals = [2, 0.5, 7, 1, 3, 0];
    const weights = csrFromCoo(3, nMovies, rows, cols, vals);
    const reg = 0.3;
    const x = new Float64Array(3 * k);
    new AlsHalfStep(k, reg).solve(weights, y, x);
    const Y = new Matrix(Array.from({ length: nMovies }, (_, i) => Array.from(y.subarray(i * k, i * k + k))));
    for (let u = 0; u < 3; u++) {
      const c = new Array<number>(nMovies).fill(1);
      const p = new Array<number>(nMovies).fill(0);
      for (let e = 0; e < rows.length; e++) {
        if (rows[e] !== u) continue;
        c[cols[e]] = 1 + vals[e];
        p[cols[e]] = 1;
      }
      const YtC = Y.transpose().mmul(Matrix.diag(c));
      const lhs = YtC.mmul(Y).add(Matrix.eye(k).mul(reg));
      const rhs = YtC.mmul(Matrix.columnVector(p));
      const expected = solve(lhs, rhs).to1DArray();
      for (let f = 0; f < k; f++) expect(x[u * k + f]).toBeCloseTo(expected[f], 10);
    }
  });
});

describe('gramInto', () => {
  it('computes YᵀY for row-major factors', () => {
    // rows (1, 2) and (3, 4): YᵀY = [[1 + 9, 2 + 12], [2 + 12, 4 + 16]]
    const out = new Float64Array(4);
    gramInto(Float64Array.of(1, 2, 3, 4), 2, 2, out);
    expect(Array.from(out)).toEqual([10, 14, 14, 20]);
  });
});
