import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseLine } from '../../stream/parse-line.js';
import { courseRecord, type CourseRecord } from '../stored-record.js';

export const SOURCE = '/apis/v1/namespaces/default/kafkasources/movielog#movielog';

/** A fresh folder under the OS temp dir and a function that removes it. */
export async function tempRoot(): Promise<{ root: string; cleanup: () => Promise<void> }> {
  const root = await mkdtemp(join(tmpdir(), 'movierec-events-'));
  return { root, cleanup: async () => rm(root, { recursive: true, force: true }) };
}

/** The ISO timestamp text the course writes for an instant (UTC, no zone). */
export function stamp(time: number): string {
  return new Date(time).toISOString().slice(0, -1);
}

/** A stored watch record: user `user` watched minute `minute` of `movie` at `time`, delivered at Kafka offset `offset`. */
export function watchRecord(offset: number, time: number, user = 1, movie = 'ghostbusters+1984', minute = 1): CourseRecord {
  const parsed = parseLine(`${stamp(time)},${user},GET /data/m/${movie}/${minute}.mpg`);
  if (!parsed.ok) throw new Error(`fixture line rejected: ${parsed.detail}`);
  return courseRecord(SOURCE, `partition:0/offset:${offset}`, parsed.event, time);
}

export function rateRecord(offset: number, time: number, user = 1, movie = 'the+incredibles+2004', rating = 4): CourseRecord {
  const parsed = parseLine(`${stamp(time)},${user},GET /rate/${movie}=${rating}`, { scale: { min: 1, max: 10 } });
  if (!parsed.ok) throw new Error(`fixture line rejected: ${parsed.detail}`);
  return courseRecord(SOURCE, `partition:0/offset:${offset}`, parsed.event, time);
}

export const DAY1 = Date.parse('2022-03-18T06:12:47.000Z');
