import { Buffer } from 'node:buffer';
import { MovierecError } from '../../errors.js';

/** Bytes in a WebAssembly page. */
export const WASM_PAGE_BYTES = 65_536;
/** wasm32 addresses 4 GiB: 65 536 pages. */
export const WASM32_MAX_PAGES = 65_536;

/**
 * Lays out a kernel's arrays in one WebAssembly memory: `reserve` hands out
 * 16-byte-aligned byte offsets one region after another, then `allocate`
 * makes a memory just large enough, or throws a MovierecError naming the
 * kernel when wasm32's 4 GiB cannot hold the problem.
 */
export class MemoryPlan {
  private bytes = 0;

  constructor(private readonly what: string) {}

  /** Reserve `bytes` (16-byte aligned); returns the region's offset. */
  reserve(bytes: number): number {
    const offset = this.bytes;
    this.bytes = offset + Math.ceil(bytes / 16) * 16;
    return offset;
  }

  /** Pages the reserved regions need. */
  get pages(): number {
    return Math.max(1, Math.ceil(this.bytes / WASM_PAGE_BYTES));
  }

  allocate(): WebAssembly.Memory {
    const { pages, what } = this;
    const mib = (this.bytes / 2 ** 20).toFixed(0);
    if (pages > WASM32_MAX_PAGES) {
      throw new MovierecError(`${what}: the problem needs ${mib} MiB of WebAssembly memory, over wasm32's 4096 MiB; use fewer factors`);
    }
    try {
      return new WebAssembly.Memory({ initial: pages, maximum: pages });
    } catch (cause) {
      throw new MovierecError(`${what}: could not allocate ${mib} MiB of WebAssembly memory`, { cause });
    }
  }
}

/** Compile a kernel from its base64 bytes (once per process: callers cache the module). */
export function compileWasm(base64: string): WebAssembly.Module {
  return new WebAssembly.Module(Buffer.from(base64, 'base64'));
}

/** Instantiate `module` with `memory` imported as env.memory; returns its exports. */
export function instantiateWasm(module: WebAssembly.Module, memory: WebAssembly.Memory): Record<string, unknown> {
  return new WebAssembly.Instance(module, { env: { memory } }).exports;
}
