import { Buffer } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import wabt from 'wabt';
import { SVD_EPOCH_WASM } from './svd-epoch.wasm.js';

describe('svd-epoch.wasm.ts', () => {
  it('holds exactly the bytes svd-epoch.wat assembles to (run `npm run build:wasm` after editing the .wat)', async () => {
    const text = readFileSync(new URL('./svd-epoch.wat', import.meta.url), 'utf8');
    const module = (await wabt()).parseWat('svd-epoch.wat', text, { simd: true });
    const { buffer } = module.toBinary({});
    module.destroy();
    expect(Buffer.from(SVD_EPOCH_WASM, 'base64')).toStrictEqual(Buffer.from(buffer));
  });
});
