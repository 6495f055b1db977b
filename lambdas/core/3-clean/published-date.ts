import type { Element } from 'domhandler';
import { MONTH_BY_NAME } from '../model/month-names.js';
import { type JsonLdScript, stringField } from './json-ld.js';
import { closest, namesOf, type PageIndex } from './page-index.js';
import { leadingText } from './text-measure.js';

/** Dates before this are not news publication dates (the web's news era starts here). */
const EARLIEST = Date.UTC(1995, 0, 1);

export interface PageDates {
  /**
   * As the page states it, its calendar date kept: `2019-07-17T14:20:00+03:00` (with the
   * page's offset), `2019-07-18T10:42:00` (no zone given) or `2019-07-18`.
   */
  readonly publishedAt: string | undefined;
  readonly modifiedAt: string | undefined;
}

/** meta name/property/itemprop values that carry the original publication date. */
const PUBLISHED_KEYS = new Set([
  'article:published_time',
  'article:published',
  'og:published_time',
  'og:article:published_time',
  'datepublished',
  'date_published',
  'published_time',
  'publish_date',
  'publish-date',
  'publishdate',
  'pubdate',
  'publication_date',
  'publicationdate',
  'date',
  'dc.date',
  'dc.date.issued',
  'dc.date.created',
  'dcterms.created',
  'dcterms.date',
  'dcterms.issued',
  'citation_publication_date',
  'citation_date',
  'parsely-pub-date',
  'sailthru.date',
  'article.published',
  'article_date_original',
  'original-publish-date',
  'cxenseparse:recs:publishtime',
  'weibo:article:create_at',
  'release_date',
  'created',
  'datecreated',
  'dc.created',
  'article:post_date',
  'bt:pubdate',
  'live_date',
]);
const MODIFIED_KEYS = new Set([
  'article:modified_time',
  'og:updated_time',
  'datemodified',
  'date_modified',
  'dcterms.modified',
  'last-modified',
  'lastmod',
  'article:modified',
  'dc.date.modified',
]);
const DATE_NAMES =
  /date|time|publish|posted|byline|dateline|timestamp|meta|info|entry-header|article-header/i;

const MONTH_PATTERN = [...MONTH_BY_NAME.keys()].sort((a, b) => b.length - a.length).join('|');

/** "17 July 2019", "24 نيسان / أبريل 2020", "July 17th, 2019". */
const NAMED_DATE = new RegExp(
  `(?:\\b(\\d{1,2})(?:st|nd|rd|th|er|º|\\.)?\\s+(?:de\\s+)?(${MONTH_PATTERN})\\.?(?:\\s*/\\s*(?:${MONTH_PATTERN}))?,?\\s+(?:de\\s+)?((?:19|20)\\d{2}))|(?:\\b(${MONTH_PATTERN})\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+((?:19|20)\\d{2}))`,
  'iu',
);
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
const RFC822 = new RegExp(
  `(\\d{1,2})\\s+(${MONTH_PATTERN})\\.?\\s+(\\d{4})\\s+(\\d{1,2}):(\\d{2})(?::(\\d{2}))?\\s*([+-]\\d{4}|GMT|UTC|Z)?`,
  'iu',
);

/**
 * Finds an article's publication and modification dates, most reliable source first:
 * JSON-LD, meta tags, microdata, `<time>` elements, a date in the URL path, date text near
 * the headline, then any date in the page's opening text. The original publication date is
 * preferred over update dates; dates in the future (relative to `now`) or before 1995 are
 * rejected. The date is kept as the page states it, so its calendar day is the page's own.
 */
export function findPageDates(
  page: PageIndex,
  scripts: readonly JsonLdScript[],
  headline: Element | undefined,
  url: string | undefined,
  now: Date,
): PageDates {
  const accept = (value: string | undefined) => acceptDate(value, now);
  const jsonLd = jsonLdDates(scripts);
  const meta = metaDates(page);
  // Most reliable first, each read only when those before it give nothing.
  let raw: string | undefined;
  for (const read of [
    () => jsonLd.published,
    () => meta.published,
    () => microdataDate(page),
    () => timeElementDate(page),
  ]) {
    raw = read();
    if (accept(raw) !== undefined) break;
  }
  const structured = accept(raw);
  const modifiedAt = accept(jsonLd.modified) ?? accept(meta.modified);
  let publishedAt = structured
    ? (monthShownOnPage(raw ?? '', structured, () => accept(visibleDate(page, headline, 80))) ??
      dayShownByUrl(structured, accept(urlPathDate(url))))
    : (accept(urlOrVisibleDate(page, headline, url)) ?? accept(openingTextDate(page)));
  // A page that gives only when it was last changed is dated by that (as htmldate does): the
  // day it was last true is nearer its publication than no day at all.
  publishedAt ??= modifiedAt;
  return { publishedAt, modifiedAt };
}

/** "03-09-2026", "03/09/2026": a date whose day and month could be either way round. */
const AMBIGUOUS_NUMERIC = /^\s*(\d{1,2})[./-](\d{1,2})[./-](?:19|20)\d{2}\b/;

/**
 * The day and month of a structured date written without saying which is which ("03-09-2026"
 * is read day first), the other way round when the page shows that date to its readers
 * ("Published March 9, 2026"): htmldate's check of an ambiguous date against the page's text.
 */
function monthShownOnPage(
  raw: string,
  structured: string,
  shown: () => string | undefined,
): string | undefined {
  const parts = AMBIGUOUS_NUMERIC.exec(raw);
  if (!parts || Number(parts[1]) > 12 || Number(parts[2]) > 12 || parts[1] === parts[2])
    return undefined;
  const swapped = `${structured.slice(0, 4)}-${structured.slice(8, 10)}-${structured.slice(5, 7)}`;
  const visible = shown();
  return visible?.slice(0, 10) === swapped ? visible : undefined;
}

/**
 * A page date as the UTC instant stored and compared everywhere. A date without a zone, or a
 * bare day, is read as UTC. The page's own calendar day is kept apart, by `pageDay`.
 */
export function toInstant(date: string): string {
  return new Date(instantMs(date)).toISOString();
}

/**
 * The calendar day a page gives for a date, in the page's own time: "2019-07-12T01:00:00+03:00"
 * is 12 July, though its instant falls on 11 July in UTC.
 */
export function pageDay(date: string): string {
  return date.slice(0, 10);
}

function instantMs(date: string): number {
  const zoned = /[zZ]$|[+-]\d{2}:?\d{2}$/.test(date) || date.length === 10 ? date : `${date}Z`;
  return Date.parse(zoned);
}

/**
 * Structured dates are often stored in UTC, a day off the date the page shows its readers
 * (an evening story in New York is "tomorrow" in UTC): a date in the URL one day away from a
 * UTC structured date is the page's own day, when a time zone can explain it. Inhabited zones
 * run from UTC−10 (Hawaii) to UTC+14, so 10:04 UTC is the same day everywhere west of UTC.
 */
function dayShownByUrl(structured: string, shown: string | undefined): string {
  if (!shown || !/(Z|[+-]00:?00)$/.test(structured)) return structured;
  const shift = instantMs(shown.slice(0, 10)) - instantMs(structured.slice(0, 10));
  const hour = Number(structured.slice(11, 13) || 'NaN');
  const zoneCanExplain =
    (shift === -86_400_000 && !(hour >= 10)) || (shift === 86_400_000 && !(hour < 10));
  return zoneCanExplain ? shown : structured;
}

/** The URL's date, made precise by a visible date of the same day ("Published: 18.07.2019 10:42"). */
function urlOrVisibleDate(
  page: PageIndex,
  headline: Element | undefined,
  url: string | undefined,
): string | undefined {
  const fromUrl = urlPathDate(url);
  const visible = visibleDate(page, headline, 80);
  if (!fromUrl) return visible;
  return visible?.startsWith(fromUrl) ? visible : fromUrl;
}

function metaDates(page: PageIndex): { published?: string; modified?: string } {
  let published: string | undefined;
  let modified: string | undefined;
  for (const element of page.tag('meta')) {
    const attributes = element.attribs;
    const key = (
      attributes.property ??
      attributes.name ??
      attributes.itemprop ??
      attributes['http-equiv'] ??
      ''
    ).toLowerCase();
    const content = attributes.content;
    if (!content) continue;
    if (!published && PUBLISHED_KEYS.has(key)) published = content;
    if (!modified && MODIFIED_KEYS.has(key)) modified = content;
  }
  return { ...(published ? { published } : {}), ...(modified ? { modified } : {}) };
}

function jsonLdDates(scripts: readonly JsonLdScript[]): {
  published?: string;
  modified?: string;
} {
  for (const script of scripts) {
    // Broken JSON-LD is common (a stray brace, a raw newline in a string): its dates are
    // still the publisher's own.
    const nodes =
      script.parsed || !script.source ? script.nodes : [jsonLdDateFields(script.source)];
    for (const node of nodes) {
      const published = stringField(node.datePublished) ?? stringField(node.dateCreated);
      if (published) {
        const modified = stringField(node.dateModified);
        return { published, ...(modified ? { modified } : {}) };
      }
    }
  }
  return {};
}

const JSON_LD_DATE_FIELD = /"(datePublished|dateCreated|dateModified)"\s*:\s*"([^"]+)"/g;

/** The date fields of JSON-LD that does not parse, as one node of their first values. */
function jsonLdDateFields(source: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [, name, value] of source.matchAll(JSON_LD_DATE_FIELD))
    if (name && value && !(name in fields)) fields[name] = value;
  return fields;
}

function microdataDate(page: PageIndex): string | undefined {
  const element = [...page.itemprop('datePublished'), ...page.itemprop('dateCreated')].find(
    (candidate) => candidate.name !== 'meta',
  );
  if (!element) return undefined;
  return element.attribs.datetime ?? element.attribs.content ?? leadingText(element, 200).trim();
}

const ARTICLE_CONTAINERS = new Set(['article', 'main', 'header']);

function timeElementDate(page: PageIndex): string | undefined {
  const times = page.tag('time');
  const published = times.find(
    (time) => 'pubdate' in time.attribs || /publish|posted|created/i.test(namesOf(time)),
  );
  const inArticle = times.find((time) => closest(time, ARTICLE_CONTAINERS) !== undefined);
  for (const time of [published, inArticle, times[0]]) {
    if (!time) continue;
    const value = time.attribs.datetime ?? parseVisibleDate(leadingText(time, 200));
    if (value) return value;
  }
  return undefined;
}

/**
 * Elements whose whole text may be a date line ("January 18, 2020" in a <p> under the headline).
 * Not links: a linked date is an archive's or another entry's.
 */
const DATE_LINE_TAGS = ['p', 'div', 'span', 'li', 'small', 'em', 'strong', 'b', 'font', 'td'];
/** A date line is short: "Tuesday, 13 Oct 2020 18:29", not a caption that mentions a date. */
const DATE_LINE_CHARS = 50;

/**
 * "Published: 18.07.2019 10:42", "17 July 2019", "2020年7月13日": a date in an element named for
 * dates, or an element whose whole text is a date. The one nearest the headline wins: a page's
 * header may show today's date, and its lists of other articles their own dates.
 */
function visibleDate(
  page: PageIndex,
  headline: Element | undefined,
  limit: number,
): string | undefined {
  const named: { element: Element; date: string }[] = [];
  let checked = 0;
  for (const element of page.named) {
    const names = namesOf(element);
    if (!DATE_NAMES.test(names)) continue;
    // A relative "3 hours ago" often carries the date in an attribute.
    const { title, datetime } = element.attribs;
    const attribute = (datetime ?? title)?.trim();
    const text = shortText(element, 200);
    const date = attribute && ISO.test(attribute) ? attribute : text && parseVisibleDate(text);
    if (date) named.push({ element, date });
    else if (++checked >= limit) break;
  }
  // Without a headline to measure from, a date in an element named for dates comes first.
  if (!headline) return named[0]?.date ?? dateLines(page)[0]?.date;
  return nearestHeadline(page, headline, [...named, ...dateLines(page)])?.date;
}

function dateLines(page: PageIndex): { element: Element; date: string }[] {
  const found: { element: Element; date: string }[] = [];
  for (const tag of DATE_LINE_TAGS) {
    for (const element of page.tag(tag)) {
      const text = shortText(element, DATE_LINE_CHARS);
      const date = text && parseVisibleDate(text);
      if (date) found.push({ element, date });
    }
  }
  return found.sort((a, b) => (page.position(a.element) ?? 0) - (page.position(b.element) ?? 0));
}

function nearestHeadline<T extends { element: Element }>(
  page: PageIndex,
  headline: Element,
  found: T[],
): T | undefined {
  const at = (element: Element) => page.position(element) ?? 0;
  const from = at(headline);
  // Before the headline counts a little further than after it: bylines follow headlines.
  const distance = (element: Element) =>
    at(element) >= from ? at(element) - from : (from - at(element)) * 1.5;
  let best: T | undefined;
  for (const candidate of found)
    if (!best || distance(candidate.element) < distance(best.element)) best = candidate;
  return best;
}

/** The element's text when it is at most `max` characters (whitespace collapsed), else undefined. */
function shortText(element: Element, max: number): string | undefined {
  const text = leadingText(element, max * 4);
  if (text.length >= max * 4) return undefined;
  const normalised = text.replace(/\s+/g, ' ').trim();
  return normalised && normalised.length <= max ? normalised : undefined;
}

/** The first date in the page's opening text (scripts and styles aside), as a last resort. */
function openingTextDate(page: PageIndex): string | undefined {
  const [body] = page.tag('body');
  if (!body) return undefined;
  return parseVisibleDate(leadingText(body, 80_000).replace(/\s+/g, ' ').slice(0, 20_000));
}

/** Every date form read here has a four-digit year of the news era. */
const HAS_YEAR = /(?:19|20)\d\d/;

export function parseVisibleDate(text: string): string | undefined {
  if (!HAS_YEAR.test(text)) return undefined;
  const cjk = /((?:19|20)\d{2})\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일]?/.exec(text);
  if (cjk) return isoFromParts(Number(cjk[1]), Number(cjk[2]), Number(cjk[3]));
  const yearFirst =
    /\b((?:19|20)\d{2})[./-](\d{1,2})[./-](\d{1,2})\b(?:[ T,]+(\d{1,2}):(\d{2}))?/.exec(text);
  if (yearFirst) {
    return isoFromParts(
      Number(yearFirst[1]),
      Number(yearFirst[2]),
      Number(yearFirst[3]),
      yearFirst[4],
      yearFirst[5],
    );
  }
  const dayFirst =
    /\b(\d{1,2})[./-](\d{1,2})[./-]((?:19|20)\d{2})\b(?:[ ,-]+(\d{1,2})[:h](\d{2}))?/.exec(text);
  if (dayFirst) {
    let [day, month] = [Number(dayFirst[1]), Number(dayFirst[2])];
    if (month > 12 && day <= 12) [day, month] = [month, day]; // an unambiguous US month-first date
    return isoFromParts(Number(dayFirst[3]), month, day, dayFirst[4], dayFirst[5]);
  }
  const named = NAMED_DATE.exec(text);
  if (named) {
    const [, day1, month1, year1, month2, day2, year2] = named;
    const month = MONTH_BY_NAME.get((month1 ?? month2 ?? '').toLowerCase());
    if (month) return isoFromParts(Number(year1 ?? year2), month, Number(day1 ?? day2));
  }
  return undefined;
}

function isoFromParts(
  year: number,
  month: number,
  day: number,
  hour?: string,
  minute?: string,
): string | undefined {
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCDate() !== day) return undefined;
  const calendar = `${year}-${pad(month)}-${pad(day)}`;
  return hour !== undefined && minute !== undefined && Number(hour) < 24
    ? `${calendar}T${pad(Number(hour))}:${minute}:00`
    : calendar;
}

/** `/2019/07/18/`, `/2019-07-18-`, `/20190718/` in the path. */
export function urlPathDate(url: string | undefined): string | undefined {
  if (!url) return undefined;
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    return undefined;
  }
  const separated = /\/((?:19|20)\d{2})[/-](\d{1,2})[/-](\d{1,2})(?:[/._-]|$)/.exec(path);
  if (separated)
    return isoFromParts(Number(separated[1]), Number(separated[2]), Number(separated[3]));
  const compact = /(?:^|[/_-])((?:19|20)\d{2})(\d{2})(\d{2})(?:[/._-]|$)/.exec(path);
  return compact
    ? isoFromParts(Number(compact[1]), Number(compact[2]), Number(compact[3]))
    : undefined;
}

/** The value normalised with its own calendar day (and offset, when it gives one), if plausible. */
function acceptDate(value: string | undefined, now: Date): string | undefined {
  const normalised = value ? normaliseDate(value.trim()) : undefined;
  if (!normalised) return undefined;
  const time = instantMs(normalised);
  if (Number.isNaN(time) || time < EARLIEST) return undefined;
  // A day of slack: a page published "today" in a time zone ahead of ours is not in the future.
  if (time > now.getTime() + 86_400_000) return undefined;
  return normalised;
}

function normaliseDate(value: string): string | undefined {
  const iso = ISO.exec(value);
  if (iso) {
    const [, year, month, day, hour, minute, second, zone] = iso;
    const calendar = isoFromParts(Number(year), Number(month), Number(day));
    if (!calendar) return undefined;
    if (hour === undefined) return calendar;
    const offset = !zone
      ? ''
      : zone.toUpperCase() === 'Z'
        ? 'Z'
        : `${zone.slice(0, 3)}:${zone.slice(-2)}`;
    return `${calendar}T${pad(Number(hour))}:${minute}:${second ?? '00'}${offset}`;
  }
  const rfc = RFC822.exec(value);
  if (rfc) {
    const [, day, monthName, year, hour, minute, second, zone] = rfc;
    const calendar = isoFromParts(
      Number(year),
      MONTH_BY_NAME.get((monthName ?? '').toLowerCase()) ?? 0,
      Number(day),
    );
    if (!calendar) return undefined;
    const offset =
      !zone || /^(GMT|UTC|Z)$/i.test(zone) ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(3)}`;
    return `${calendar}T${pad(Number(hour))}:${minute}:${second ?? '00'}${offset}`;
  }
  const visible = parseVisibleDate(value);
  if (visible) return visible;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}
