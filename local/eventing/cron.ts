/**
 * The 5-field cron of a PingSource `schedule`, in UTC: `minute hour
 * day-of-month month day-of-week`, each field a list (`1,15`) of `*`, values,
 * ranges (`1-5`) and steps (`*\/5`, `10-50/20`, `5/15`); months and weekdays
 * also by name (`JAN`, `MON`), Sunday as 0 or 7; and the descriptors `@hourly`,
 * `@daily` (`@midnight`), `@weekly`, `@monthly`, `@yearly` (`@annually`). As in
 * Vixie cron and robfig/cron (which Knative uses), when both day fields are
 * restricted a day matches either; when one starts with `*` both must match.
 */

export interface CronSchedule {
  readonly text: string;
  readonly minutes: readonly boolean[];
  readonly hours: readonly boolean[];
  readonly days: readonly boolean[];
  readonly months: readonly boolean[];
  readonly weekdays: readonly boolean[];
  /** The day-of-month / day-of-week field starts with `*` (or `?`). */
  readonly anyDay: boolean;
  readonly anyWeekday: boolean;
}

export type ParsedCron = { readonly ok: true; readonly schedule: CronSchedule } | { readonly ok: false; readonly reason: string };

interface FieldSpec {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
}

const FIELDS: readonly FieldSpec[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] },
  { name: 'day-of-week', min: 0, max: 7, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
];

const DESCRIPTORS: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

class CronSyntaxError extends Error {}

function valueOf(text: string, field: FieldSpec): number {
  const named = field.names?.indexOf(text.toUpperCase()) ?? -1;
  if (named >= 0) return field.min + named;
  if (!/^\d+$/.test(text)) throw new CronSyntaxError(`${field.name}: ${JSON.stringify(text)} is not a number${field.names === undefined ? '' : ' or a name'}`);
  const value = Number(text);
  if (value < field.min || value > field.max) throw new CronSyntaxError(`${field.name}: ${value} is out of range ${field.min}-${field.max}`);
  return value;
}

function parseField(text: string, field: FieldSpec): boolean[] {
  const bits = new Array<boolean>(field.max + 1).fill(false);
  for (const item of text.split(',')) {
    const [range, stepText, extra] = item.split('/');
    if (extra !== undefined || range === '') throw new CronSyntaxError(`${field.name}: ${JSON.stringify(item)} is not a value, range or step`);
    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d+$/.test(stepText) || Number(stepText) === 0) throw new CronSyntaxError(`${field.name}: step ${JSON.stringify(stepText)} is not a positive number`);
      step = Number(stepText);
    }
    let low: number;
    let high: number;
    if (range === '*' || range === '?') [low, high] = [field.min, field.max];
    else if (range.includes('-')) {
      const [from, to, more] = range.split('-');
      if (more !== undefined) throw new CronSyntaxError(`${field.name}: ${JSON.stringify(range)} is not a range`);
      [low, high] = [valueOf(from, field), valueOf(to, field)];
      if (low > high) throw new CronSyntaxError(`${field.name}: range ${range} runs backwards`);
    } else {
      low = valueOf(range, field);
      high = stepText === undefined ? low : field.max;
    }
    for (let value = low; value <= high; value += step) bits[value] = true;
  }
  return bits;
}

export function parseCron(text: string): ParsedCron {
  const trimmed = text.trim();
  if (/^(CRON_)?TZ=/.test(trimmed)) return { ok: false, reason: 'time zone prefixes are not supported; schedules run in UTC' };
  const expanded = trimmed.startsWith('@') ? DESCRIPTORS[trimmed.toLowerCase()] : trimmed;
  if (expanded === undefined) return { ok: false, reason: `unknown descriptor ${JSON.stringify(trimmed)}` };
  const parts = expanded.split(/\s+/).filter((part) => part.length > 0);
  if (parts.length !== 5) {
    return { ok: false, reason: `expected 5 fields (minute hour day-of-month month day-of-week), got ${parts.length}` };
  }
  try {
    const [minutes, hours, days, months, weekdaysWithSeven] = parts.map((part, i) => parseField(part, FIELDS[i]));
    const weekdays = weekdaysWithSeven.slice(0, 7);
    if (weekdaysWithSeven[7]) weekdays[0] = true;
    const schedule: CronSchedule = {
      text: trimmed, minutes, hours, days, months, weekdays,
      anyDay: parts[2].startsWith('*') || parts[2].startsWith('?'),
      anyWeekday: parts[4].startsWith('*') || parts[4].startsWith('?'),
    };
    if (nextFire(schedule, Date.UTC(2000, 0, 1)) === undefined) return { ok: false, reason: `${trimmed} never fires` };
    return { ok: true, schedule };
  } catch (error) {
    if (error instanceof CronSyntaxError) return { ok: false, reason: error.message };
    throw error;
  }
}

function dayMatches(schedule: CronSchedule, date: Date): boolean {
  const day = schedule.days[date.getUTCDate()];
  const weekday = schedule.weekdays[date.getUTCDay()];
  return schedule.anyDay || schedule.anyWeekday ? day && weekday : day || weekday;
}

/** The first minute strictly after `after` (ms since the epoch) that the schedule names; undefined if none within 8 years. */
export function nextFire(schedule: CronSchedule, after: number): number | undefined {
  const t = new Date(Math.floor(after / 60_000) * 60_000 + 60_000);
  const limit = t.getTime() + 8 * 366 * 86_400_000;
  while (t.getTime() <= limit) {
    if (!schedule.months[t.getUTCMonth() + 1]) {
      t.setUTCMonth(t.getUTCMonth() + 1, 1);
      t.setUTCHours(0, 0, 0, 0);
    } else if (!dayMatches(schedule, t)) {
      t.setUTCDate(t.getUTCDate() + 1);
      t.setUTCHours(0, 0, 0, 0);
    } else if (!schedule.hours[t.getUTCHours()]) {
      t.setUTCHours(t.getUTCHours() + 1, 0, 0, 0);
    } else if (!schedule.minutes[t.getUTCMinutes()]) {
      t.setUTCMinutes(t.getUTCMinutes() + 1, 0, 0);
    } else return t.getTime();
  }
  return undefined;
}
