import { afterEach, describe, expect, it } from 'vitest';
import type { Channel, ChannelRecord, ProduceResult } from '../../lib/messaging/channel.js';
import { ChannelError } from '../../lib/messaging/channel.js';
import { createMemoryChannel } from '../../lib/messaging/memory-channel.js';
import { silentLogger } from '../../lib/ops/logger.js';
import { recordsOfLines, streamsRoute } from './streams-route.js';
import { serveRoutes } from './test-helpers/route-server.js';

describe('recordsOfLines', () => {
  it('keys each line by its user id field, drops \\r and skips empty lines', () => {
    const body = '2022-03-18T06:12:47,326332,GET /data/m/x+1984/54.mpg\r\n\n  \n2019-09-05T19:27:01,118106,GET /rate/y+1995=3\nno-comma-here\n2022-01-01T00:00:00,,GET /create_account\n';
    expect(recordsOfLines(body)).toEqual([
      { key: '326332', value: '2022-03-18T06:12:47,326332,GET /data/m/x+1984/54.mpg' },
      { key: '118106', value: '2019-09-05T19:27:01,118106,GET /rate/y+1995=3' },
      { key: null, value: 'no-comma-here' },
      { key: null, value: '2022-01-01T00:00:00,,GET /create_account' },
    ]);
  });
});

describe('POST /streams/:topic', () => {
  const closers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    await Promise.all(closers.splice(0).map((close) => close()));
  });
  const serve = async (channel: Channel, maxBodyBytes?: number) => {
    const route = streamsRoute({ channel, topics: new Set(['movielog']), logger: silentLogger, ...(maxBodyBytes === undefined ? {} : { maxBodyBytes }) });
    const server = await serveRoutes([route]);
    closers.push(() => server.close(), () => channel.close());
    return server.url;
  };
  const post = (url: string, body: string) => fetch(url, { method: 'POST', body, headers: { 'content-type': 'text/plain' } });

  it('answers 202 with the count and where the last line landed', async () => {
    const channel = createMemoryChannel({ logger: silentLogger, partitions: 1 });
    const url = await serve(channel);
    const first = await post(`${url}/streams/movielog`, 'a,1,x\nb,2,y\n\nc,3,z\n');
    expect(first.status).toBe(202);
    expect(await first.json()).toEqual({ accepted: 3, partition: 0, offset: 2 });
    expect(await (await post(`${url}/streams/movielog`, 'd,4,w')).json()).toEqual({ accepted: 1, partition: 0, offset: 3 });
    expect(await (await post(`${url}/streams/movielog`, '\n\n')).json()).toEqual({ accepted: 0, partition: null, offset: null });
    expect(channel.stats('movielog', 'nobody')).toMatchObject({ produced: 4 });
  });

  it('answers 404 for a topic no KafkaSource reads, 413 past the limit, 405 for GET', async () => {
    const url = await serve(createMemoryChannel({ logger: silentLogger }), 16);
    expect((await post(`${url}/streams/other`, 'a,1,x')).status).toBe(404);
    expect((await post(`${url}/streams/movielog`, 'a,1,x\n'.repeat(10))).status).toBe(413);
    expect((await fetch(`${url}/streams/movielog`)).status).toBe(405);
  });

  it('answers 503 with Retry-After while the channel refuses for now, 500 otherwise', async () => {
    let retriable = true;
    const refusing: Channel = {
      produce: (topic: string, _records: readonly ChannelRecord[]): Promise<ProduceResult> =>
        Promise.reject(new ChannelError(topic, 'full', { retriable })),
      subscribe: () => Promise.reject(new Error('unused')),
      stats: () => ({ produced: 0, committed: 0, lag: 0 }),
      close: () => Promise.resolve(),
    };
    const url = await serve(refusing);
    const busy = await post(`${url}/streams/movielog`, 'a,1,x');
    expect([busy.status, busy.headers.get('retry-after')]).toEqual([503, '1']);
    retriable = false;
    const broken = await post(`${url}/streams/movielog`, 'a,1,x');
    expect(broken.status).toBe(500);
    expect(await broken.text()).not.toMatch(/full/);
  });
});
