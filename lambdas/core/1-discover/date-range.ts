import { urlPathDate } from '../3-clean/published-date.js';
import { addDays, localDay } from '../model/iso-week.js';

/** Calendar days, both ends included, in the story's time zone (as the digest's weeks are). */
export interface DayRange {
  /** YYYY-MM-DD; undefined: no lower bound. */
  readonly from?: string | undefined;
  /** YYYY-MM-DD; undefined: no upper bound. */
  readonly to?: string | undefined;
}

/**
 * The calendar day an item belongs to in `timeZone`: its own date (a feed's or sitemap's date,
 * a cleaned page's publication date), else the date in its URL path (`/2019/07/18/`), else
 * undefined. A bare date is that day wherever the reader is; an instant is placed in the zone.
 */
export function itemDay(
  publishedAt: string | undefined,
  url: string,
  timeZone: string,
): string | undefined {
  if (publishedAt && /^\d{4}-\d{2}-\d{2}$/.test(publishedAt)) return publishedAt;
  const instant = publishedAt ? new Date(publishedAt) : undefined;
  if (instant && !Number.isNaN(instant.getTime())) return localDay(instant, timeZone);
  // The path's date is the site's own calendar day, with no zone to convert from.
  return urlPathDate(url)?.slice(0, 10);
}

export function inRange(day: string, range: DayRange): boolean {
  return (!range.from || day >= range.from) && (!range.to || day <= range.to);
}

/**
 * The earliest `<lastmod>` (ISO instant) a sitemap index's child can have and still list a page
 * of the range: a day before `from` in UTC, which covers every time zone's `from`.
 */
export function modifiedSince(range: DayRange): string | undefined {
  return range.from ? `${addDays(range.from, -1)}T00:00:00.000Z` : undefined;
}
