import { load } from 'cheerio/slim';
import type { Element } from 'domhandler';
import { FeedParseError } from '../model/errors.js';
import { resolveHttpUrl } from './canonical-url.js';

/** One entry of an RSS 2.0, RSS 1.0 (RDF) or Atom feed. */
export interface FeedItem {
  readonly url: string;
  readonly title: string;
  readonly summary: string | undefined;
  /** ISO 8601, as the feed dates the item; undefined when it has no parseable date. */
  readonly publishedAt: string | undefined;
}

/**
 * Reads the items of a feed. Relative links are resolved against `feedUrl`; items without a
 * usable http(s) link are dropped. Throws FeedParseError when the document is not a feed.
 */
export function parseFeed(xml: string, feedUrl: string): FeedItem[] {
  const $ = load(xml, { xml: { xmlMode: true, decodeEntities: true } });
  const root = $.root()
    .children()
    .filter((_, node) => node.type === 'tag')
    .first();
  const rootName = localName(root.prop('tagName') ?? '');
  if (!['rss', 'feed', 'rdf'].includes(rootName)) {
    throw new FeedParseError(
      feedUrl,
      rootName
        ? `root element <${rootName}> is not rss, feed or rdf:RDF`
        : 'no XML root element (empty or not XML)',
    );
  }
  const isAtom = rootName === 'feed';
  const entries = $(isAtom ? 'entry' : 'item').toArray();
  const items: FeedItem[] = [];
  for (const entry of entries) {
    const field = (...names: string[]) => childText($, entry, names);
    const link = isAtom ? atomLink($, entry) : field('link') || rdfAbout($, entry) || field('guid');
    const url = resolveHttpUrl(link, feedUrl);
    if (!url) continue;
    items.push({
      url,
      title: collapseWhitespace(stripTags(field('title'))),
      summary: optionalText(
        stripTags(field('description', 'summary', 'content', 'dc:description')),
      ),
      publishedAt: parseFeedDate(field('pubDate', 'published', 'dc:date', 'updated')),
    });
  }
  return items;
}

function localName(tagName: string): string {
  return tagName.toLowerCase().replace(/^.*:/, '');
}

function childText($: ReturnType<typeof load>, entry: Element, names: string[]): string {
  for (const name of names) {
    const match = $(entry)
      .children()
      .filter(
        (_, child) => child.type === 'tag' && child.tagName.toLowerCase() === name.toLowerCase(),
      )
      .first();
    const text = match.text().trim();
    if (text) return text;
  }
  return '';
}

function atomLink($: ReturnType<typeof load>, entry: Element): string {
  const links = $(entry).children('link').toArray();
  const alternate =
    links.find((link) => ($(link).attr('rel') ?? 'alternate') === 'alternate') ?? links[0];
  return alternate ? ($(alternate).attr('href') ?? '') : '';
}

function rdfAbout($: ReturnType<typeof load>, entry: Element): string {
  return $(entry).attr('rdf:about') ?? '';
}

/** Summaries are often escaped HTML; a feed item's summary is judged as plain text. */
function stripTags(text: string): string {
  if (!text.includes('<')) return text;
  return load(text).text();
}

function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function optionalText(text: string): string | undefined {
  const collapsed = collapseWhitespace(text);
  return collapsed ? collapsed : undefined;
}

/** RFC 822 (RSS) and ISO 8601 (Atom, dc:date) both parse with Date; anything else is unknown. */
export function parseFeedDate(text: string): string | undefined {
  if (!text) return undefined;
  const time = Date.parse(text);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}
