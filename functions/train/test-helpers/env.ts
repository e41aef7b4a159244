import type { Server } from 'node:http';
import request from 'supertest';
import { until } from './broker.js';

export { withEnv } from '../../../lib/ops/test-helpers/with-env.js';

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
