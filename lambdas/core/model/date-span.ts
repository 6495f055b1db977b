import { addDays, mondayOf } from './iso-week.js';

/** How precisely a date is known: `YYYY-MM-DD`, `YYYY-Www`, `YYYY-MM`, `YYYY-<season>`, `YYYY`. */
export type DatePrecision = 'day' | 'week' | 'month' | 'season' | 'year';

/** The month each season starts in (meteorological, northern hemisphere). */
export const SEASON_START: Readonly<Record<string, number>> = {
  spring: 3,
  summer: 6,
  autumn: 9,
  fall: 9,
  winter: 12,
};

/** The first and last calendar day a date of any precision can mean. */
export function daySpan(date: string): { readonly first: string; readonly last: string } {
  if (/^\d{4}-W\d{2}$/.test(date)) {
    const monday = mondayOf(date);
    return { first: monday, last: addDays(monday, 6) };
  }
  const season = /^(\d{4})-(spring|summer|autumn|winter)$/.exec(date);
  if (season?.[1] && season[2]) {
    const first = `${season[1]}-${pad(SEASON_START[season[2]] ?? 1)}-01`;
    return { first, last: lastDayOfMonth(first.slice(0, 7), 2) };
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(date)) return { first: date, last: date };
  if (/^\d{4}-\d{2}$/.test(date)) return { first: `${date}-01`, last: lastDayOfMonth(date, 0) };
  return { first: `${date.slice(0, 4)}-01-01`, last: `${date.slice(0, 4)}-12-31` };
}

/** Whether two dates of any precision can mean the same day. */
export function spansOverlap(a: string, b: string): boolean {
  const [spanA, spanB] = [daySpan(a), daySpan(b)];
  return spanA.first <= spanB.last && spanB.first <= spanA.last;
}

/** The last day of the month `months` after `YYYY-MM`. */
function lastDayOfMonth(month: string, months: number): string {
  const [year, number] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, number + months, 0)).toISOString().slice(0, 10);
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

/**
 * A date as a calendar date for machines (`YYYY-MM-DD`, `YYYY-MM` or `YYYY`), never an ISO week
 * or a season: a week is its Monday, a season its first month; `precision` beside it still says
 * how much of it is known.
 */
export function calendarDate(date: string): string {
  const span = daySpan(date);
  if (/^\d{4}-W\d{2}$/.test(date)) return span.first;
  if (/^\d{4}-[a-z]+$/.test(date)) return span.first.slice(0, 7);
  return date;
}
