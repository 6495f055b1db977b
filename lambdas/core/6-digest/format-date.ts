import { mondayOf } from '../model/iso-week.js';

const DAY_FORMAT = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
});

const MONTH_FORMAT = new Intl.DateTimeFormat('en-GB', {
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
});

/**
 * A date of any precision as readers see it, in the digest and on the timeline alike:
 * "2019-07-17" → "17 Jul 2019"; "2019-W29" → "week of 15 Jul 2019"; "2019-07" → "Jul 2019";
 * "2017-summer" → "summer 2017".
 */
export function formatDate(value: unknown): string {
  if (typeof value !== 'string') return '';
  if (/^\d{4}-W\d{2}$/.test(value)) return `week of ${formatDate(mondayOf(value))}`;
  const season = /^(\d{4})-([a-z]+)$/.exec(value);
  if (season) return `${season[2]} ${season[1]}`;
  if (/^\d{4}-\d{2}-\d{2}/.test(value))
    return DAY_FORMAT.format(new Date(value.length === 10 ? `${value}T12:00:00Z` : value));
  if (/^\d{4}-\d{2}$/.test(value)) return MONTH_FORMAT.format(new Date(`${value}-15T00:00:00Z`));
  return value;
}
