import type { Server } from 'node:http';
import request from 'supertest';
import { expect } from 'vitest';

export { withEnv } from '../../../lib/ops/test-helpers/with-env.js';

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
