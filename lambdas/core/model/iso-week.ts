import { PayloadError } from './errors.js';

export interface WeekWindow {
  /** `YYYY-Www` */
  readonly week: string;
  /** Monday 00:00 in the story's time zone, as an ISO instant. */
  readonly from: string;
  /** The next Monday 00:00 (exclusive). */
  readonly to: string;
}

const WEEK = /^(\d{4})-W(\d{2})$/;

/** The ISO week (`YYYY-Www`) that a calendar day (`YYYY-MM-DD`) belongs to. */
export function isoWeekOf(day: string): string {
  const date = new Date(`${day.slice(0, 10)}T00:00:00Z`);
  const weekday = date.getUTCDay() || 7;
  date.setUTCDate(date.getUTCDate() + 4 - weekday); // the Thursday of this week decides its year
  const yearStart = Date.UTC(date.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((date.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${date.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

/** The Monday (`YYYY-MM-DD`) that starts an ISO week. */
export function mondayOf(week: string): string {
  const match = WEEK.exec(week);
  if (!match) throw new PayloadError('week', `"${week}" is not an ISO week such as 2019-W28`);
  const year = Number(match[1]);
  const number = Number(match[2]);
  const january4 = new Date(Date.UTC(year, 0, 4));
  const monday = new Date(january4);
  monday.setUTCDate(january4.getUTCDate() - ((january4.getUTCDay() || 7) - 1) + (number - 1) * 7);
  if (number < 1 || isoWeekOf(monday.toISOString()) !== week) {
    throw new PayloadError('week', `"${week}" does not exist`);
  }
  return monday.toISOString().slice(0, 10);
}

export function addDays(day: string, days: number): string {
  const date = new Date(`${day.slice(0, 10)}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** The week's window, from Monday to Monday midnight in `timeZone`. */
export function weekWindow(week: string, timeZone: string): WeekWindow {
  const monday = mondayOf(week);
  return {
    week,
    from: zonedMidnight(monday, timeZone),
    to: zonedMidnight(addDays(monday, 7), timeZone),
  };
}

/** The last complete ISO week before `now` in `timeZone` (what a Monday digest reports on). */
export function previousWeek(now: Date, timeZone: string): string {
  return isoWeekOf(addDays(localDay(now, timeZone), -7));
}

/** The calendar day of an instant in `timeZone`. */
export function localDay(instant: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(instant);
  return parts; // en-CA formats as YYYY-MM-DD
}

/** Midnight at the start of `day` in `timeZone`, as an ISO instant. */
export function zonedMidnight(day: string, timeZone: string): string {
  const utcMidnight = Date.parse(`${day}T00:00:00Z`);
  const offset = zoneOffsetMs(new Date(utcMidnight), timeZone);
  // Re-check at the corrected instant: the offset may differ across a DST change that night.
  const corrected = utcMidnight - zoneOffsetMs(new Date(utcMidnight - offset), timeZone);
  return new Date(corrected).toISOString();
}

function zoneOffsetMs(instant: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(instant);
  const value = (type: string) => Number(parts.find((part) => part.type === type)?.value ?? 0);
  const asUtc = Date.UTC(
    value('year'),
    value('month') - 1,
    value('day'),
    value('hour'),
    value('minute'),
    value('second'),
  );
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/** Every ISO week that overlaps the days `from`..`to` (inclusive), in order. */
export function weeksBetween(from: string, to: string): string[] {
  const weeks: string[] = [];
  for (let day = from.slice(0, 10); day <= to.slice(0, 10); day = addDays(day, 1)) {
    const week = isoWeekOf(day);
    if (weeks.at(-1) !== week) weeks.push(week);
  }
  return weeks;
}
