import { load } from 'cheerio/slim';
import { FeedParseError } from '../model/errors.js';
import { resolveHttpUrl } from './canonical-url.js';
import { type FeedItem, parseFeedDate } from './feed.js';

export interface Sitemap {
  /** Pages listed by a `<urlset>` (with Google-News title and date when given). */
  readonly items: readonly FeedItem[];
  /** Child sitemaps of a `<sitemapindex>`, most recently modified first. */
  readonly sitemaps: readonly string[];
  /** The same children with their `<lastmod>` (ISO 8601, when given and readable). */
  readonly children: readonly SitemapChild[];
}

export interface SitemapChild {
  readonly url: string;
  readonly modified: string | undefined;
}

/** Reads an XML sitemap, a sitemap index or a Google-News sitemap. */
export function parseSitemap(xml: string, sitemapUrl: string): Sitemap {
  const $ = load(xml, { xml: { xmlMode: true } });
  const root = $.root()
    .children()
    .filter((_, node) => node.type === 'tag')
    .first();
  const rootName = (root.prop('tagName') ?? '').toLowerCase().replace(/^.*:/, '');
  const loc = (element: Parameters<typeof $>[0]) =>
    $(element).children('loc').first().text().trim();
  if (rootName === 'sitemapindex') {
    const children = root
      .children('sitemap')
      .toArray()
      .map((element) => ({
        url: resolveHttpUrl(loc(element), sitemapUrl),
        modified: parseFeedDate($(element).children('lastmod').text().trim()),
      }))
      .filter((child): child is SitemapChild => child.url !== undefined)
      .sort((a, b) => (b.modified ?? '').localeCompare(a.modified ?? ''));
    return { items: [], sitemaps: children.map((child) => child.url), children };
  }
  if (rootName !== 'urlset') {
    throw new FeedParseError(
      sitemapUrl,
      rootName ? `root element <${rootName}> is not urlset or sitemapindex` : 'not XML',
    );
  }
  const items: FeedItem[] = [];
  for (const element of root.children('url').toArray()) {
    const url = resolveHttpUrl(loc(element), sitemapUrl);
    if (!url) continue;
    const news = $(element).children('news\\:news').first();
    items.push({
      url,
      title: news.find('news\\:title').first().text().trim(),
      summary: undefined,
      publishedAt: parseFeedDate(
        news.find('news\\:publication_date').first().text().trim() ||
          $(element).children('lastmod').text().trim(),
      ),
    });
  }
  return { items, sitemaps: [], children: [] };
}
