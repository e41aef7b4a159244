import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudEvent } from 'cloudevents';
import type { EventsStorage, SegmentAppender } from '../../../lib/events/events-storage.js';
import { EventsReader } from '../../../lib/events/events-reader.js';
import type { StoredRecord } from '../../../lib/events/stored-record.js';
import { buildEvent } from '../../../lib/messaging/cloud-event-codec.js';
import { eventSource, KAFKA_RECORD_TYPE } from '../../../lib/messaging/event-types.js';
import type { RecommendationServed } from '../../../lib/messaging/events/recommendation-served.js';
import { RECOMMENDATION_SERVED } from '../../../lib/messaging/events/recommendation-served.js';

/** The KafkaSource's `source`, as the local runtime and a cluster name it. */
export const KAFKA_SOURCE = '/apis/v1/namespaces/movierec/kafkasources/movielog#movielog';

export const WATCH = '2022-03-18T06:12:47,326332,GET /data/m/ghostbusters+1984/54.mpg';
export const RATE = '2022-03-18T05:53:29,162591,GET /rate/the+incredibles+2004=4';
export const REQUEST =
  '2023-03-24T14:14:43.074025,773556,recommendation request 17645-team13.isri.cmu.edu:8082, status 200, result: the+shining+1980, interstellar+2014, 55 ms';
/** A real malformed line of the course stream: a space inside the time. */
export const MALFORMED = '2022-03-28T04:00: 44,45314,GET /rate/my+left+foot+the+story+of+christy+brown+1989=4';

/** A KafkaSource record event: id `partition:0/offset:<offset>`, the line as text data. */
export function kafkaEvent(offset: number, line: string): CloudEvent<string> {
  return new CloudEvent<string>({
    specversion: '1.0',
    id: `partition:0/offset:${offset}`,
    source: KAFKA_SOURCE,
    type: KAFKA_RECORD_TYPE,
    subject: `partition:0#${offset}`,
    datacontenttype: 'text/plain',
    data: line,
    key: line.split(',')[1] ?? '',
  });
}

export const servedData = (user = '326332'): RecommendationServed => ({
  user,
  movies: ['the+shining+1980', 'interstellar+2014'],
  modelVersion: 'svd-20261126T101500.000Z-1a2b3c4d',
  revision: 'recommend-00001',
  latencyMs: 0.42,
  fallback: false,
  servedAt: '2026-11-26T10:15:00.000Z',
});

export function servedEvent(id: string, data: unknown = servedData()): CloudEvent<unknown> {
  return buildEvent({ type: RECOMMENDATION_SERVED, source: eventSource('recommend'), data, id, time: new Date('2026-11-26T10:15:00.010Z') });
}

/** Poll until `condition` holds (every 10 ms, up to 5 s); fails the test if it never does. */
export async function until(condition: () => boolean, what = 'the condition'): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  if (!condition()) throw new Error(`timed out waiting for ${what}`);
}

/** A fresh folder under the OS temp dir and a function that removes it. */
export async function tempFolder(): Promise<{ root: string; cleanup: () => Promise<void> }> {
  const root = await mkdtemp(join(tmpdir(), 'movierec-ingest-'));
  return { root, cleanup: async () => rm(root, { recursive: true, force: true }) };
}

/** Every record in the store, once per `(source, id)` as readers see them. */
export async function storedRecords(storage: EventsStorage): Promise<StoredRecord[]> {
  const records: StoredRecord[] = [];
  await new EventsReader(storage).scan({}, (record) => records.push(record));
  return records;
}

/**
 * A storage whose appends wait at a gate the test opens, or fail while
 * `failing` is set: to see when ingest answers relative to durability.
 */
export class GatedStorage implements EventsStorage {
  failing = false;
  private gate: Promise<void> | undefined;
  private open: () => void = () => undefined;
  /** Appends that have reached the gate. */
  waiting = 0;

  constructor(private readonly inner: EventsStorage) {}

  get location(): string {
    return this.inner.location;
  }

  hold(): void {
    this.gate = new Promise((resolve) => {
      this.open = resolve;
    });
  }

  release(): void {
    this.open();
    this.gate = undefined;
  }

  async create(key: string): Promise<SegmentAppender> {
    const appender = await this.inner.create(key);
    return {
      key: appender.key,
      get size() {
        return appender.size;
      },
      append: async (bytes) => {
        this.waiting += 1;
        await this.gate;
        this.waiting -= 1;
        if (this.failing) {
          await appender.close();
          throw new Error('EIO: i/o error, write');
        }
        await appender.append(bytes);
      },
      close: () => appender.close(),
    };
  }

  list(prefix?: string) {
    return this.inner.list(prefix);
  }

  read(key: string) {
    return this.inner.read(key);
  }

  delete(key: string) {
    return this.inner.delete(key);
  }
}
