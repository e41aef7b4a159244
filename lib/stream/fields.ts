/**
 * Field rules of the course log line, shared by the parser and the event
 * schemas so that both accept exactly the same values.
 *
 * Movie ids are slugs: the title in lower case with `+` for spaces and a year
 * suffix (`the+incredibles+2004`, `monsters_+inc.+2001`, `m*a*s*h+1970`; a few
 * real ids lack the year, `the+awful+truth+`). A slug may hold the characters
 * a URL path segment carries unescaped (RFC 3986 `pchar`) except upper case
 * and the line's own separators `,` and `=`: `a-z 0-9 ! $ & ' ( ) * + - . : ; @ _ ~`.
 * Percent escapes (`%2B`, `%27`, either hex case) are decoded first, and the
 * decoded slug must obey the same rule — so the canonical id never holds `%`.
 */
export const MAX_MOVIE_ID_LENGTH = 300;
export const MAX_USER_ID_DIGITS = 20;
export const MAX_HOST_LENGTH = 253;

/** A checked field: its canonical value, or a sentence saying what is wrong. */
export type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: string };

const SLUG = buildTable('abcdefghijklmnopqrstuvwxyz0123456789!$&\'()*+-.:;@_~');
const HOST = buildTable('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_');

function buildTable(chars: string): Uint8Array {
  const table = new Uint8Array(128);
  for (let k = 0; k < chars.length; k++) table[chars.charCodeAt(k)] = 1;
  return table;
}

/** `"x"` for details: the offending text, JSON-quoted (lone surrogates escaped) and shortened. */
export function quote(text: string, limit = 60): string {
  return JSON.stringify(text.length > limit ? `${text.slice(0, limit)}…` : text);
}

/**
 * The value of a plain decimal integer (ASCII digits only, leading zeros
 * allowed) of at most `maxDigits` digits, or -1 for anything else.
 */
export function parseDecimal(text: string, maxDigits: number): number {
  const length = text.length;
  if (length === 0 || length > maxDigits) return -1;
  let value = 0;
  for (let k = 0; k < length; k++) {
    const d = text.charCodeAt(k) - 48;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

/** A user id: a non-negative decimal integer, kept as a string without leading zeros (`007` → `7`). */
export function checkUserId(text: string): Checked<string> {
  const length = text.length;
  if (length === 0 || length > MAX_USER_ID_DIGITS) {
    return { ok: false, problem: `user id ${quote(text)} is not a decimal integer of 1–${MAX_USER_ID_DIGITS} digits` };
  }
  let firstNonZero = -1;
  for (let k = 0; k < length; k++) {
    const c = text.charCodeAt(k);
    if (c < 48 || c > 57) return { ok: false, problem: `user id ${quote(text)} is not a decimal integer` };
    if (firstNonZero < 0 && c !== 48) firstNonZero = k;
  }
  if (firstNonZero === 0) return { ok: true, value: text };
  return { ok: true, value: firstNonZero < 0 ? '0' : text.slice(firstNonZero) };
}

/** A movie id: percent escapes decoded, then the slug rule above. */
export function checkMovieId(text: string): Checked<string> {
  const length = text.length;
  if (length === 0) return { ok: false, problem: 'movie id is empty' };
  if (length > MAX_MOVIE_ID_LENGTH) return { ok: false, problem: `movie id is longer than ${MAX_MOVIE_ID_LENGTH} characters` };
  let escaped = false;
  for (let k = 0; k < length; k++) {
    const c = text.charCodeAt(k);
    if (c === 37) {
      escaped = true; // '%': decodeSlug checks the two hex digits that follow
      k += 2;
    } else if (c >= 128 || SLUG[c] === 0) return { ok: false, problem: badCharacter(text, k) };
  }
  return escaped ? decodeSlug(text) : { ok: true, value: text };
}

/** True when `text` is already a canonical movie id (what the parser would return unchanged). */
export function isCanonicalMovieId(text: string): boolean {
  const checked = checkMovieId(text);
  return checked.ok && checked.value === text;
}

function decodeSlug(text: string): Checked<string> {
  let decoded = '';
  let from = 0;
  for (let k = text.indexOf('%'); k >= 0; k = text.indexOf('%', from)) {
    const byte = k + 2 < text.length ? hex(text.charCodeAt(k + 1)) * 16 + hex(text.charCodeAt(k + 2)) : -1;
    if (byte < 0) return { ok: false, problem: `movie id ${quote(text)} has a broken percent escape at ${k + 1}` };
    if (byte >= 128 || SLUG[byte] === 0) {
      return { ok: false, problem: `movie id ${quote(text)} escapes ${quote(String.fromCharCode(byte))}, which a slug may not hold` };
    }
    decoded += text.slice(from, k) + String.fromCharCode(byte);
    from = k + 3;
  }
  return { ok: true, value: decoded + text.slice(from) };
}

/** 0–15 for an ASCII hex digit, else a large negative number (so any sum with it stays negative). */
function hex(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1024;
}

function badCharacter(text: string, at: number): string {
  const c = text.charCodeAt(at);
  const what = c >= 65 && c <= 90 ? 'an upper-case letter' : 'the character';
  return `movie id ${quote(text)} has ${what} ${quote(text.charAt(at))} at ${at + 1}`;
}

/** A host name as the request line names the recommendation service: letters, digits, `.`, `-`, `_`. */
export function isHost(text: string): boolean {
  const length = text.length;
  if (length === 0 || length > MAX_HOST_LENGTH) return false;
  for (let k = 0; k < length; k++) {
    const c = text.charCodeAt(k);
    if (c >= 128 || HOST[c] === 0) return false;
  }
  return true;
}

/** Upper bounds of the line's integers (a value above is a rejection, never a silent overflow). */
export const MAX_MINUTE = 999_999;
export const MAX_RATING = 999;
export const MAX_STATUS = 999;
export const MAX_PORT = 65_535;
export const MAX_LATENCY_MS = 999_999_999;
/** Digits `parseDecimal` reads for those integers; leading zeros are accepted and dropped (`054` → 54). */
export const MAX_DIGITS = 9;
