import { describe, expect, it } from 'vitest';
import { MovierecError } from '../../errors.js';
import { MemoryPlan, WASM_PAGE_BYTES } from './wasm-memory.js';

describe('MemoryPlan', () => {
  it('hands out 16-byte-aligned regions one after another', () => {
    const plan = new MemoryPlan('test');
    expect([plan.reserve(4), plan.reserve(33), plan.reserve(0), plan.reserve(16)]).toStrictEqual([0, 16, 64, 64]);
    expect(plan.pages).toBe(1);
    plan.reserve(WASM_PAGE_BYTES);
    expect(plan.pages).toBe(2);
    expect(plan.allocate().buffer.byteLength).toBe(2 * WASM_PAGE_BYTES);
  });

  it('refuses a problem over wasm32’s 4 GiB with a MovierecError naming the kernel', () => {
    const plan = new MemoryPlan('svd');
    plan.reserve(1_000_000 * 1100 * 4); // p_u of a million users × 1100 factors
    expect(() => plan.allocate()).toThrow(MovierecError);
    expect(() => plan.allocate()).toThrow(/^svd: the problem needs 4196 MiB of WebAssembly memory, over wasm32's 4096 MiB/);
  });
});
