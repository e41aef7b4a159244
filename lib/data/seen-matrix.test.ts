import { describe, expect, it } from 'vitest';
import { hasEntry } from './csr.js';
import { aggregateInteractions } from './interactions.js';
import type { InteractionRecord } from './records.js';
import { seenMatrix } from './seen-matrix.js';
import { Vocabulary } from './vocabulary.js';

const watch = (user: string, movie: string, minute: number): InteractionRecord => ({ user, movie, kind: 'watch', value: minute, time: 1 });
const rate = (user: string, movie: string, rating: number): InteractionRecord => ({ user, movie, kind: 'rate', value: rating, time: 2 });

describe('seenMatrix', () => {
  it("holds every watched or rated pair in the model's index space and drops unknown ids", () => {
    const table = aggregateInteractions([watch('7', 'up+2009', 12), rate('7', 'heat+1995', 4), watch('9', 'up+2009', 3), watch('5', 'ran+1985', 1)]);
    const users = Vocabulary.from(['9', '7']);
    const movies = Vocabulary.from(['heat+1995', 'up+2009']);
    const seen = seenMatrix(table, users, movies);
    expect([seen.nRows, seen.nCols]).toEqual([2, 2]);
    expect(hasEntry(seen, 1, 0)).toBe(true); // 7 rated heat
    expect(hasEntry(seen, 1, 1)).toBe(true); // 7 watched up
    expect(hasEntry(seen, 0, 1)).toBe(true); // 9 watched up
    expect(hasEntry(seen, 0, 0)).toBe(false);
    expect(seen.indptr[2]).toBe(3); // user 5 and ran+1985 are unknown to the model
  });
});
