import type { Server } from 'node:http';
import request from 'supertest';
import { expect } from 'vitest';

/** Set environment variables for a function's config; returns a function that restores the previous values. */
export function withEnv(values: Record<string, string>): () => void {
  const previous = Object.fromEntries(Object.keys(values).map((key) => [key, process.env[key]]));
  Object.assign(process.env, values);
  return () => {
    for (const [key, value] of Object.entries(previous)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
}

/**
 * Poll /healthz until the model load has settled. Every answer seen before is
 * `503 loading` (load time is not asserted: no timing in tests).
 */
export async function untilLoadSettles(server: Server): Promise<{ status: number; text: string }> {
  for (let i = 0; i < 500; i++) {
    const response = await request(server).get('/healthz');
    if (response.text !== 'loading') return { status: response.status, text: response.text };
    expect(response.status).toBe(503);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('the model load did not settle');
}

export async function untilReady(server: Server): Promise<void> {
  expect(await untilLoadSettles(server)).toEqual({ status: 200, text: 'ok' });
}
