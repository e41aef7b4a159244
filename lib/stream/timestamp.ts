/**
 * Course stream timestamps: UTC wall-clock time without a zone, as Java's
 * `LocalDateTime.toString()` writes it (the course's producer is a JVM):
 *
 *   YYYY-MM-DDTHH:MM            seconds and fraction both zero (Java drops them)
 *   YYYY-MM-DDTHH:MM:SS
 *   YYYY-MM-DDTHH:MM:SS.f…      1–9 fraction digits (milli-, micro-, nanoseconds)
 *
 * The text is checked by position (no regex), and the date must exist
 * (month 1–12, day within the month, leap years; hour 0–23, minute and
 * second 0–59). The fraction is truncated to whole milliseconds.
 */
export const TIMESTAMP_FORMAT = 'YYYY-MM-DDTHH:MM[:SS[.fffffffff]]';

const MS_PER_DAY = 86_400_000;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

/** Milliseconds since the Unix epoch, or NaN when `text` is not a course timestamp. */
export function parseTimestamp(text: string): number {
  const length = text.length;
  if (length !== 16 && length !== 19 && (length < 21 || length > 29)) return Number.NaN;
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return Number.NaN; // '-'
  if (text.charCodeAt(10) !== 84 || text.charCodeAt(13) !== 58) return Number.NaN; // 'T', ':'
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 7);
  const day = digits(text, 8, 10);
  const hour = digits(text, 11, 13);
  const minute = digits(text, 14, 16);
  let second = 0;
  let millis = 0;
  if (length > 16) {
    if (text.charCodeAt(16) !== 58) return Number.NaN;
    second = digits(text, 17, 19);
    if (length > 19) {
      if (text.charCodeAt(19) !== 46) return Number.NaN; // '.'
      const fraction = digits(text, 20, length);
      if (fraction < 0) return Number.NaN;
      const places = length - 20;
      millis = places <= 3 ? fraction * 10 ** (3 - places) : Math.floor(fraction / 10 ** (places - 3));
    }
  }
  if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23) return Number.NaN;
  if (minute < 0 || minute > 59 || second < 0 || second > 59) return Number.NaN;
  if (day > daysInMonth(year, month)) return Number.NaN;
  return daysFromCivil(year, month, day) * MS_PER_DAY + ((hour * 60 + minute) * 60 + second) * 1000 + millis;
}

/** The decimal value of text[start, end) if it is all ASCII digits, else -1. */
function digits(text: string, start: number, end: number): number {
  let value = 0;
  for (let k = start; k < end; k++) {
    const d = text.charCodeAt(k) - 48;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1];
}

/**
 * Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant,
 * "chrono-Compatible Low-Level Date Algorithms", days_from_civil). Plain
 * arithmetic, so years 0000–0099 do not hit `Date.UTC`'s 1900 offset.
 */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}
