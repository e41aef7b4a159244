import type { Server } from 'node:http';
import request from 'supertest';
import { until } from './broker.js';

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

/** Poll /healthz until no run is going and none is pending; answers the trainer state it reports. */
export async function untilIdle(server: Server): Promise<Record<string, unknown>> {
  let state: Record<string, unknown> = {};
  await until(async () => {
    const response = await request(server).get('/healthz');
    state = response.body as Record<string, unknown>;
    return response.status === 200 && state.running === false && state.pending === false;
  }, 'the trainer to be idle');
  return state;
}
