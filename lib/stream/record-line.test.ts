import { describe, expect, it } from 'vitest';
import { parseLine } from './parse-line.js';
import { recordLine } from './record-line.js';

describe('recordLine', () => {
  it('writes watch and rate records as course lines that parse back to the same interaction', () => {
    const time = Date.UTC(2024, 0, 5, 10, 11, 12, 345);
    const watch = recordLine({ user: '326332', movie: 'ghostbusters+1984', kind: 'watch', value: 54, time });
    const rate = recordLine({ user: '162591', movie: 'the+incredibles+2004', kind: 'rate', value: 4, time });
    expect(watch).toBe('2024-01-05T10:11:12.345,326332,GET /data/m/ghostbusters+1984/54.mpg');
    expect(rate).toBe('2024-01-05T10:11:12.345,162591,GET /rate/the+incredibles+2004=4');
    const parsed = parseLine(rate);
    expect(parsed.ok && parsed.event.kind === 'rate' && parsed.event.time).toBe(time);
  });
});
