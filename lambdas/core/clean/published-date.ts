import type { CheerioAPI } from 'cheerio/slim';

/** Dates before this are not news publication dates (the web's news era starts here). */
const EARLIEST = Date.UTC(1995, 0, 1);

export interface PageDates {
  readonly publishedAt: string | undefined;
  readonly modifiedAt: string | undefined;
}

const PUBLISHED_META = [
  'meta[property="article:published_time"]',
  'meta[name="article:published_time"]',
  'meta[itemprop="datePublished"]',
  'meta[name="pubdate"]',
  'meta[name="publishdate"]',
  'meta[name="date"]',
  'meta[name="dc.date"]',
  'meta[name="DC.date.issued"]',
  'meta[name="parsely-pub-date"]',
  'meta[name="sailthru.date"]',
];
const MODIFIED_META = [
  'meta[property="article:modified_time"]',
  'meta[itemprop="dateModified"]',
  'meta[property="og:updated_time"]',
];

const MONTHS =
  'january|february|march|april|may|june|july|august|september|october|november|december';
const MONTH_ABBREVIATIONS = 'jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec';

/**
 * Finds an article's publication and modification dates, most reliable source first:
 * JSON-LD, meta tags, `<time datetime>`, visible date text near the headline, then the URL
 * path. The original publication date is preferred over update dates; dates in the future
 * (relative to `now`) or before 1995 are rejected.
 */
export function findPageDates($: CheerioAPI, url: string | undefined, now: Date): PageDates {
  const accept = (value: string | undefined) => acceptDate(value, now);
  const jsonLd = jsonLdDates($);
  const publishedAt =
    accept(jsonLd.published) ??
    firstAccepted($, PUBLISHED_META, accept) ??
    accept($('time[datetime][pubdate], time[itemprop="datePublished"]').attr('datetime')) ??
    accept($('article time[datetime], time[datetime]').first().attr('datetime')) ??
    accept(visibleDate($)) ??
    accept(urlPathDate(url));
  const modifiedAt = accept(jsonLd.modified) ?? firstAccepted($, MODIFIED_META, accept);
  return { publishedAt, modifiedAt };
}

function firstAccepted(
  $: CheerioAPI,
  selectors: readonly string[],
  accept: (value: string | undefined) => string | undefined,
): string | undefined {
  for (const selector of selectors) {
    const found = accept($(selector).attr('content'));
    if (found) return found;
  }
  return undefined;
}

function jsonLdDates($: CheerioAPI): { published?: string; modified?: string } {
  for (const script of $('script[type="application/ld+json"]').toArray()) {
    let data: unknown;
    try {
      data = JSON.parse($(script).text());
    } catch {
      continue; // a broken JSON-LD block is common; other sources still apply
    }
    for (const node of flattenJsonLd(data)) {
      const published = typeof node.datePublished === 'string' ? node.datePublished : undefined;
      if (published) {
        const modified = typeof node.dateModified === 'string' ? node.dateModified : undefined;
        return { published, ...(modified ? { modified } : {}) };
      }
    }
  }
  return {};
}

function flattenJsonLd(data: unknown): Record<string, unknown>[] {
  if (Array.isArray(data)) return data.flatMap(flattenJsonLd);
  if (data && typeof data === 'object') {
    const node = data as Record<string, unknown>;
    return [node, ...flattenJsonLd(node['@graph'])];
  }
  return [];
}

/** "Published: 18.07.2019 10:42", "17 July 2019", "July 17, 2019" near the top of the page. */
function visibleDate($: CheerioAPI): string | undefined {
  const candidates = $(
    '[class*="date" i], [class*="time" i], [class*="meta" i], [class*="byline" i], [id*="date" i]',
  )
    .toArray()
    .slice(0, 30)
    .map((element) => $(element).text().replace(/\s+/g, ' ').trim())
    .filter((text) => text.length > 0 && text.length < 200);
  for (const text of candidates) {
    const parsed = parseVisibleDate(text);
    if (parsed) return parsed;
  }
  return undefined;
}

export function parseVisibleDate(text: string): string | undefined {
  const numeric = /\b(\d{1,2})[./](\d{1,2})[./]((?:19|20)\d{2})(?:,?\s+(\d{1,2}):(\d{2}))?/.exec(
    text,
  );
  if (numeric) {
    const [, day, month, year, hour, minute] = numeric;
    return isoFromParts(Number(year), Number(month), Number(day), hour, minute);
  }
  const iso = /\b((?:19|20)\d{2})-(\d{2})-(\d{2})\b/.exec(text);
  if (iso) return isoFromParts(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  const dayFirst = new RegExp(
    `\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+(${MONTHS}|${MONTH_ABBREVIATIONS})\\.?,?\\s+((?:19|20)\\d{2})`,
    'i',
  ).exec(text);
  if (dayFirst) {
    return isoFromParts(Number(dayFirst[3]), monthNumber(dayFirst[2]), Number(dayFirst[1]));
  }
  const monthFirst = new RegExp(
    `\\b(${MONTHS}|${MONTH_ABBREVIATIONS})\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+((?:19|20)\\d{2})`,
    'i',
  ).exec(text);
  if (monthFirst) {
    return isoFromParts(Number(monthFirst[3]), monthNumber(monthFirst[1]), Number(monthFirst[2]));
  }
  return undefined;
}

function monthNumber(name: string | undefined): number {
  const prefix = (name ?? '').slice(0, 3).toLowerCase();
  return MONTH_ABBREVIATIONS.split('|').indexOf(prefix) + 1;
}

function isoFromParts(
  year: number,
  month: number,
  day: number,
  hour?: string,
  minute?: string,
): string | undefined {
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  const date = new Date(Date.UTC(year, month - 1, day, Number(hour ?? 0), Number(minute ?? 0)));
  return date.getUTCDate() === day ? date.toISOString() : undefined;
}

/** `/2019/07/18/` or `/2019-07-18-` in the path. */
export function urlPathDate(url: string | undefined): string | undefined {
  if (!url) return undefined;
  const match = /\/((?:19|20)\d{2})[/-](\d{1,2})[/-](\d{1,2})(?:[/-]|$)/.exec(url);
  return match ? isoFromParts(Number(match[1]), Number(match[2]), Number(match[3])) : undefined;
}

function acceptDate(value: string | undefined, now: Date): string | undefined {
  if (!value) return undefined;
  const time = Date.parse(value.trim());
  if (Number.isNaN(time) || time < EARLIEST) return undefined;
  // A day of slack: a page published "today" in a time zone ahead of ours is not in the future.
  if (time > now.getTime() + 86_400_000) return undefined;
  return new Date(time).toISOString();
}
