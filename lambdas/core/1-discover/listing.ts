import { load } from 'cheerio/slim';
import { resolveHttpUrl } from './canonical-url.js';
import type { FeedItem } from './feed.js';

export interface ListingPage {
  readonly items: readonly FeedItem[];
  /** The next page of the listing, when it is paginated. */
  readonly next: string | undefined;
}

/**
 * Reads an HTML listing page: the links matched by `linkSelector` (with their text as title),
 * and the next page from `nextSelector`. Links are resolved against the page URL.
 */
export function parseListing(
  html: string,
  pageUrl: string,
  linkSelector: string,
  nextSelector?: string,
): ListingPage {
  const $ = load(html);
  const seen = new Set<string>();
  const items: FeedItem[] = [];
  $(linkSelector).each((_, element) => {
    const anchor = $(element).is('a') ? $(element) : $(element).find('a[href]').first();
    const url = resolveHttpUrl(anchor.attr('href'), pageUrl);
    if (!url || seen.has(url)) return;
    seen.add(url);
    items.push({
      url,
      title: anchor.text().replace(/\s+/g, ' ').trim(),
      summary: undefined,
      publishedAt: undefined,
    });
  });
  const next = nextSelector
    ? resolveHttpUrl($(nextSelector).first().attr('href'), pageUrl)
    : undefined;
  return { items, next: next === pageUrl ? undefined : next };
}
