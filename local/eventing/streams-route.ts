import type { Channel, ChannelRecord } from '../../lib/messaging/channel.js';
import { ChannelError } from '../../lib/messaging/channel.js';
import type { Logger } from '../../lib/ops/logger.js';
import type { Route } from '../http-route.js';
import { readBody, sendJson } from '../http-route.js';

/**
 * `POST /streams/:topic`: the body is course log lines, `\n`-separated (a
 * trailing `\r` is dropped, empty lines skipped); each line becomes one record
 * keyed by its second comma field (the user id) when it has one. Answers 202
 * `{ accepted, partition, offset }` (where the last line landed) once the
 * channel holds them; 404 for a topic no KafkaSource reads; 413 past the size
 * limit; 503 while the channel is full or Kafka is unavailable.
 */

export interface StreamsRouteOptions {
  readonly channel: Channel;
  /** The topics some KafkaSource reads. */
  readonly topics: ReadonlySet<string>;
  readonly logger: Logger;
  /** Default 32 MiB. */
  readonly maxBodyBytes?: number;
}

const PATH = /^\/streams\/([^/]+)$/;

/** The records of a body of lines. */
export function recordsOfLines(text: string): ChannelRecord[] {
  const records: ChannelRecord[] = [];
  for (const raw of text.split('\n')) {
    const value = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (value.trim() === '') continue;
    const key = value.split(',', 3)[1]?.trim();
    records.push({ key: key === undefined || key === '' ? null : key, value });
  }
  return records;
}

export function streamsRoute(options: StreamsRouteOptions): Route {
  const { channel, logger } = options;
  return async (req, res, url) => {
    const match = PATH.exec(url.pathname);
    if (match === null) return false;
    if (req.method !== 'POST') {
      res.writeHead(405, { Allow: 'POST' }).end();
      return true;
    }
    let topic: string;
    try {
      topic = decodeURIComponent(match[1]);
    } catch {
      sendJson(res, 400, { error: 'the topic is not a valid URI component' });
      return true;
    }
    if (!options.topics.has(topic)) {
      sendJson(res, 404, { error: `no KafkaSource reads topic ${JSON.stringify(topic)}` });
      return true;
    }
    let body: Buffer;
    try {
      body = await readBody(req, options.maxBodyBytes ?? 32 * 1024 * 1024);
    } catch (error) {
      if (error instanceof RangeError) sendJson(res, 413, { error: error.message });
      else sendJson(res, 400, { error: 'could not read the request body' });
      return true;
    }
    const records = recordsOfLines(body.toString('utf8'));
    if (records.length === 0) {
      sendJson(res, 202, { accepted: 0, partition: null, offset: null });
      return true;
    }
    try {
      const { partition, lastOffset } = await channel.produce(topic, records);
      sendJson(res, 202, { accepted: records.length, partition, offset: lastOffset });
    } catch (error) {
      if (error instanceof ChannelError && error.retriable) {
        logger.warning('stream records refused for now', { topic, records: records.length, error });
        res.setHeader('Retry-After', '1');
        sendJson(res, 503, { error: 'the channel cannot take records right now; retry' });
      } else {
        logger.error('could not produce stream records', { topic, records: records.length, error });
        sendJson(res, 500, { error: 'internal error' });
      }
    }
    return true;
  };
}
