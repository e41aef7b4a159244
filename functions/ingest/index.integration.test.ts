// Integration: ingest as a Service runs it — the functions-framework CLI on dist/ (run `npm run build` first),
// crashed with SIGKILL and restarted on the same events folder, as a redelivering KafkaSource would see it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FsEventsStorage } from '../../lib/events/fs-events-storage.js';
import { encodeEvent } from '../../lib/messaging/cloud-event-codec.js';
import type { IngestProcess } from './test-helpers/ingest-process.js';
import { crash, startIngest, untilHealthy } from './test-helpers/ingest-process.js';
import { kafkaEvent, storedRecords, tempFolder } from './test-helpers/ingest-fixtures.js';

let folder: { root: string; cleanup: () => Promise<void> };
const started: IngestProcess[] = [];

beforeEach(async () => {
  folder = await tempFolder();
});
afterEach(async () => {
  for (const ingest of started.splice(0)) await crash(ingest);
  await folder.cleanup();
});

async function start(env: Record<string, string> = {}): Promise<IngestProcess> {
  const ingest = await startIngest({ EVENTS_URI: folder.root, LOG_LEVEL: 'WARNING', APPENDED_EVERY_MS: '0', ...env });
  started.push(ingest);
  return ingest;
}

/** User `1000 + i` watched minute `i % 90` of a movie, delivered at offset `i`. */
const line = (i: number) => `2022-03-18T06:${String(i % 60).padStart(2, '0')}:00,${1000 + i},GET /data/m/movie+${i % 37}+1999/${i % 90}.mpg`;

async function deliver(ingest: IngestProcess, offsets: readonly number[]): Promise<number[]> {
  return Promise.all(
    offsets.map(async (i) => {
      const { headers, body } = encodeEvent(kafkaEvent(i, line(i)), 'binary');
      const response = await fetch(`${ingest.url}/`, { method: 'POST', headers, body });
      await response.arrayBuffer();
      return response.status;
    }),
  );
}

describe('ingest under functions-framework (integration)', () => {
  it('has stored every record it acknowledged when it crashes, and a restart with redelivery stores none twice', async () => {
    const offsets = Array.from({ length: 300 }, (_, i) => i);
    const first = await start();
    await untilHealthy(first);
    expect(new Set(await deliver(first, offsets))).toEqual(new Set([204]));
    await crash(first);

    const storage = new FsEventsStorage(folder.root);
    const afterCrash = await storedRecords(storage);
    expect(afterCrash.map((r) => r.id).sort()).toEqual(offsets.map((i) => `partition:0/offset:${i}`).sort());
    expect(afterCrash.every((r) => r.kind === 'watch')).toBe(true);

    // The KafkaSource had not committed the last offsets: it redelivers them to a fresh instance.
    const second = await start();
    await untilHealthy(second);
    expect(new Set(await deliver(second, offsets.slice(200)))).toEqual(new Set([204]));
    expect(await storedRecords(storage)).toHaveLength(300);
  });

  it('refuses to start without an events folder, naming the variable in one ERROR line', async () => {
    const ingest = await start({ EVENTS_URI: '' });
    expect(await ingest.exited).toBe(1);
    const lines = ingest.output().trim().split('\n').filter((l) => l.startsWith('{'));
    expect(lines.map((l) => JSON.parse(l) as Record<string, unknown>)).toMatchObject([
      { severity: 'ERROR', message: 'ingest: invalid configuration', issues: ['EVENTS_URI: required'] },
    ]);
  });
});
