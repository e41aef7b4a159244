/**
 * Course-style movie ids for the simulated catalogue: lower-case title words
 * joined by `+` with a year suffix, as the course stream spells them
 * (`the+shining+1980`, `city+of+god+2002`). The id of movie i is a pure
 * function of i (no random draws) and distinct for every i:
 *
 *   i = t · YEARS + y          year 1930 + y, title number t
 *   s = (t · M) mod TITLES     an affine permutation (M coprime to TITLES), so
 *                              neighbouring movies read differently
 *   s → frame, adjective, noun by mixed radix
 *
 * Each frame puts a marker no adjective or noun can stand in for (`the+`,
 * `a+`, `return+to+`, a plural, `+returns`), so distinct (frame, adjective,
 * noun) give distinct titles: 6 × 32 × 32 = 6,144 titles per year, 583,680
 * ids; beyond that a `+part+<n>` (no title holds the word "part") keeps ids
 * distinct.
 */
const ADJECTIVES = [
  'silent', 'last', 'dark', 'golden', 'broken', 'hidden', 'lost', 'wild', 'crimson', 'secret',
  'little', 'endless', 'midnight', 'burning', 'frozen', 'quiet', 'electric', 'distant', 'hollow', 'iron',
  'velvet', 'savage', 'gentle', 'restless', 'northern', 'forgotten', 'brave', 'strange', 'lonely', 'bright',
  'final', 'stolen',
] as const;

const NOUNS = [
  'river', 'city', 'garden', 'shadow', 'kingdom', 'summer', 'stranger', 'island', 'machine', 'heart',
  'road', 'empire', 'storm', 'mountain', 'detective', 'station', 'harbor', 'letter', 'mirror', 'hunter',
  'winter', 'dream', 'circus', 'planet', 'voyage', 'witness', 'promise', 'horizon', 'orchard', 'signal',
  'canyon', 'lighthouse',
] as const;

const FRAMES = 6;
const WORDS = ADJECTIVES.length * NOUNS.length;
const TITLES = FRAMES * WORDS;
const M = 2477; // prime, coprime to TITLES = 2^11 · 3
const YEARS = 95;
const FIRST_YEAR = 1930;

function title(s: number): string {
  const a = ADJECTIVES[s % ADJECTIVES.length];
  const n = NOUNS[Math.floor(s / ADJECTIVES.length) % NOUNS.length];
  switch (Math.floor(s / WORDS)) {
    case 0:
      return `the+${a}+${n}`;
    case 1:
      return `${a}+${n}`;
    case 2:
      return `a+${a}+${n}`;
    case 3:
      return `the+${a}+${n}s`;
    case 4:
      return `${a}+${n}+returns`;
    default:
      return `return+to+${a}+${n}`;
  }
}

/** The slug of movie i (0-based), e.g. `the+silent+river+1930`. */
export function movieSlug(i: number): string {
  const year = FIRST_YEAR + (i % YEARS);
  const t = Math.floor(i / YEARS);
  const s = (t * M) % TITLES;
  const part = Math.floor(t / TITLES);
  return part === 0 ? `${title(s)}+${year}` : `${title(s)}+part+${part + 1}+${year}`;
}
