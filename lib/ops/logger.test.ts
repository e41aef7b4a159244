import { describe, expect, it } from 'vitest';
import { createLogger, memoryLogger, silentLogger } from './logger.js';

function collect() {
  const written: string[] = [];
  return { written, out: { write: (text: string) => written.push(text) } };
}
const now = () => new Date('2026-11-26T10:15:00.000Z');

describe('createLogger', () => {
  it('writes one JSON line per call with severity, message, time and bound fields', () => {
    const { written, out } = collect();
    const logger = createLogger({ out, now }).child({ function: 'recommend' });
    logger.info('model loaded', { modelVersion: 'svd-1' });
    logger.warning('slow');
    expect(written).toEqual([
      '{"severity":"INFO","message":"model loaded","time":"2026-11-26T10:15:00.000Z","function":"recommend","modelVersion":"svd-1"}\n',
      '{"severity":"WARNING","message":"slow","time":"2026-11-26T10:15:00.000Z","function":"recommend"}\n',
    ]);
  });

  it.each([
    ['DEBUG', ['DEBUG', 'INFO', 'WARNING', 'ERROR']],
    ['INFO', ['INFO', 'WARNING', 'ERROR']],
    ['WARNING', ['WARNING', 'ERROR']],
    ['ERROR', ['ERROR']],
    ['OFF', []],
  ] as const)('at level %s keeps %j', (level, kept) => {
    const { written, out } = collect();
    const logger = createLogger({ out, level, now });
    logger.debug('d');
    logger.info('i');
    logger.warning('w');
    logger.error('e');
    expect(written.map((text) => (JSON.parse(text) as { severity: string }).severity)).toEqual(kept);
  });

  it('nests children, later fields winning, and never lets fields replace severity or message', () => {
    const { logger, lines } = memoryLogger();
    logger.child({ a: 1, b: 1 }).child({ b: 2 }).error('boom', { severity: 'DEBUG', message: 'x', c: 3 });
    expect(lines).toEqual([{ severity: 'ERROR', message: 'boom', time: expect.any(String), a: 1, b: 2, c: 3 }]);
  });

  it('serialises errors with their cause and redacts secret-looking fields at any depth', () => {
    const { logger, lines } = memoryLogger();
    const cause = new Error('disk');
    logger.error('load failed', { error: new Error('bad bundle', { cause }), sink: { url: 'http://b', apiKey: 'k', token: 't' }, password: 'p' });
    const [entry] = lines;
    expect(entry.error).toMatchObject({ name: 'Error', message: 'bad bundle', cause: { message: 'disk' } });
    expect(entry.sink).toEqual({ url: 'http://b', apiKey: '[redacted]', token: '[redacted]' });
    expect(entry.password).toBe('[redacted]');
  });

  it('keeps the line when a field cannot be serialised', () => {
    const { logger, lines } = memoryLogger();
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    logger.info('odd', { cycle, big: 1n });
    expect(lines).toEqual([{ severity: 'INFO', message: 'odd', time: expect.any(String), unserializableFields: ['cycle', 'big'] }]);
  });

  it('has a silent logger that writes nothing', () => {
    expect(() => silentLogger.child({ x: 1 }).error('nothing')).not.toThrow();
  });
});
