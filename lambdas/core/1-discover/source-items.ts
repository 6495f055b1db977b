import { decodeBody } from '../2-fetch/charset.js';
import { describeError, FetchError } from '../model/errors.js';
import type { Source } from '../model/story.js';
import type { HttpClient, HttpResponse } from '../ports/http.js';
import type { Log } from '../ports/log.js';
import { type FeedItem, parseFeed } from './feed.js';
import { parseListing } from './listing.js';
import { parseSitemap } from './sitemap.js';

export interface SourceReadDeps {
  readonly http: HttpClient;
  readonly log: Log;
}

export interface SourceReadOptions {
  /** For a sitemap index: how many children to read (default: the source's `maxSitemaps`). */
  readonly maxSitemaps?: number;
  /** For a sitemap index: leave out children whose `<lastmod>` is before this ISO instant. */
  readonly modifiedSince?: string;
}

/**
 * The entries of a source's document: a feed's items; a sitemap's pages, or the pages of the
 * most recent child sitemaps of an index; a listing page's links, following its pagination.
 * A child document that fails is logged and skipped; the first document's failure fails the source.
 */
export async function readSourceItems(
  source: Source,
  first: HttpResponse,
  deps: SourceReadDeps,
  options: SourceReadOptions = {},
): Promise<FeedItem[]> {
  const text = (response: HttpResponse) => {
    if (response.status < 200 || response.status >= 300) {
      throw new FetchError(response.finalUrl, `HTTP ${response.status}`, response.status < 500);
    }
    return decodeBody(response.body, response.headers['content-type']);
  };
  switch (source.type) {
    case 'rss':
    case 'atom':
    case 'rdf':
    case 'search':
      return parseFeed(text(first), first.finalUrl);
    case 'sitemap': {
      const sitemap = parseSitemap(text(first), first.finalUrl);
      const items = [...sitemap.items];
      const since = options.modifiedSince;
      const children = sitemap.children
        // A child last changed before the period cannot list a page published in it.
        .filter((child) => !since || !child.modified || child.modified >= since)
        .slice(0, options.maxSitemaps ?? source.maxSitemaps);
      for (const { url: child } of children) {
        await readChild(child, deps, async (response) => {
          items.push(...parseSitemap(text(response), response.finalUrl).items);
        });
      }
      return items;
    }
    case 'html': {
      let page = parseListing(
        text(first),
        first.finalUrl,
        source.linkSelector,
        source.nextSelector,
      );
      const items = [...page.items];
      const visited = new Set([first.finalUrl]);
      for (
        let pages = 1;
        page.next && pages < source.maxPages && !visited.has(page.next);
        pages += 1
      ) {
        const next: string = page.next;
        visited.add(next);
        page = { items: [], next: undefined };
        await readChild(next, deps, async (response) => {
          page = parseListing(
            text(response),
            response.finalUrl,
            source.linkSelector,
            source.nextSelector,
          );
          items.push(...page.items);
        });
      }
      return items;
    }
  }
}

async function readChild(
  url: string,
  deps: SourceReadDeps,
  read: (response: HttpResponse) => Promise<void>,
): Promise<void> {
  try {
    await read(await deps.http.get(url));
  } catch (error) {
    deps.log.warn('source page skipped', { url, reason: describeError(error) });
  }
}
