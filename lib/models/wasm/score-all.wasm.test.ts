import { Buffer } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import wabt from 'wabt';
import { SCORE_ALL_WASM } from './score-all.wasm.js';

describe('score-all.wasm.ts', () => {
  it('holds exactly the bytes score-all.wat assembles to (run `npm run build:wasm` after editing the .wat)', async () => {
    const text = readFileSync(new URL('./score-all.wat', import.meta.url), 'utf8');
    const module = (await wabt()).parseWat('score-all.wat', text, { simd: true });
    const { buffer } = module.toBinary({});
    module.destroy();
    expect(Buffer.from(SCORE_ALL_WASM, 'base64')).toStrictEqual(Buffer.from(buffer));
  });
});
