import { canonicalUrl } from '../canonical-url.js';
import { decodeBody } from '../charset.js';
import { describeError, FetchError } from '../errors.js';
import { type FeedItem, parseFeed } from '../feed.js';
import { parseListing } from '../listing.js';
import { METRIC, SOURCE_DIMENSION } from '../metrics.js';
import type {
  FetchQueue,
  FetchRequest,
  HttpClient,
  HttpResponse,
  Log,
  Metrics,
  SourceState,
  StoryStore,
} from '../ports.js';
import { RelevanceFilter } from '../relevance.js';
import { parseSitemap } from '../sitemap.js';
import { type Source, type Story, sourceUrl } from '../story.js';

export interface DiscoverDeps {
  readonly http: HttpClient;
  readonly store: StoryStore;
  readonly queue: FetchQueue;
  readonly log: Log;
  readonly metrics: Metrics;
  readonly now: () => Date;
}

export interface SourceFailure {
  readonly sourceId: string;
  readonly url: string;
  readonly reason: string;
}

export interface DiscoverResult {
  readonly sourcesChecked: number;
  readonly sourcesUnchanged: number;
  readonly itemsSeen: number;
  readonly offStory: number;
  readonly alreadyKnown: number;
  readonly queued: number;
  readonly failures: readonly SourceFailure[];
}

/**
 * Reads every source of the story and queues the URLs never seen before. A source that fails
 * (unreachable, HTTP error, malformed feed) is logged with its URL and reason, counted against
 * its health, and does not stop the other sources.
 */
export async function discover(story: Story, deps: DiscoverDeps): Promise<DiscoverResult> {
  const relevance = new RelevanceFilter(story.relevance);
  const totals = {
    sourcesChecked: 0,
    sourcesUnchanged: 0,
    itemsSeen: 0,
    offStory: 0,
    alreadyKnown: 0,
    queued: 0,
  };
  const failures: SourceFailure[] = [];
  for (const source of story.sources) {
    totals.sourcesChecked += 1;
    const previous = await deps.store.getSourceState(story.id, source.id);
    try {
      const outcome = await discoverSource(story, source, previous, relevance, deps);
      totals.sourcesUnchanged += outcome.unchanged ? 1 : 0;
      totals.itemsSeen += outcome.itemsSeen;
      totals.offStory += outcome.offStory;
      totals.alreadyKnown += outcome.alreadyKnown;
      totals.queued += outcome.queued;
    } catch (error) {
      const reason = describeError(error);
      const consecutiveFailures = (previous?.consecutiveFailures ?? 0) + 1;
      failures.push({ sourceId: source.id, url: sourceUrl(source), reason });
      deps.log.error('source failed', {
        sourceId: source.id,
        url: sourceUrl(source),
        consecutiveFailures,
        reason,
      });
      deps.metrics.count(METRIC.sourceFailureStreak, consecutiveFailures, {
        [SOURCE_DIMENSION]: source.id,
      });
      await deps.store.putSourceState({
        ...baseState(story, source, previous, deps.now()),
        consecutiveFailures,
        lastError: reason,
      });
    }
  }
  deps.metrics.count(METRIC.articlesDiscovered, totals.queued);
  const result = { ...totals, failures };
  deps.log.info('discovery finished', { ...totals, failed: failures.length });
  return result;
}

interface SourceOutcome {
  unchanged: boolean;
  itemsSeen: number;
  offStory: number;
  alreadyKnown: number;
  queued: number;
}

async function discoverSource(
  story: Story,
  source: Source,
  previous: SourceState | undefined,
  relevance: RelevanceFilter,
  deps: DiscoverDeps,
): Promise<SourceOutcome> {
  const url = sourceUrl(source);
  const conditional = previous?.url === url ? previous : undefined;
  const response = await deps.http.get(url, {
    ...(conditional?.etag ? { etag: conditional.etag } : {}),
    ...(conditional?.lastModified ? { lastModified: conditional.lastModified } : {}),
  });
  const checkedAt = deps.now();
  const succeeded = (state: Partial<SourceState>) =>
    deps.store.putSourceState({
      ...baseState(story, source, previous, checkedAt),
      ...state,
      lastSuccessAt: checkedAt.toISOString(),
      consecutiveFailures: 0,
    });
  if (response.status === 304) {
    await succeeded({
      ...(conditional?.etag ? { etag: conditional.etag } : {}),
      ...(conditional?.lastModified ? { lastModified: conditional.lastModified } : {}),
    });
    return { unchanged: true, itemsSeen: 0, offStory: 0, alreadyKnown: 0, queued: 0 };
  }
  const items = await readItems(source, response, deps);
  const outcome: SourceOutcome = {
    unchanged: false,
    itemsSeen: items.length,
    offStory: 0,
    alreadyKnown: 0,
    queued: 0,
  };
  const fresh: FetchRequest[] = [];
  const seen = new Set<string>();
  const firstSeenAt = checkedAt.toISOString();
  for (const item of items) {
    // Items without a summary cannot be judged here: the fetcher judges them on their text.
    if (item.summary && !relevance.judge(`${item.title}\n${item.summary}`).relevant) {
      outcome.offStory += 1;
      continue;
    }
    const itemUrl = canonicalUrl(item.url);
    // The same entry twice in one document (duplicate GUIDs) is one article.
    if (!itemUrl || seen.has(itemUrl)) continue;
    seen.add(itemUrl);
    const request: FetchRequest = {
      storyId: story.id,
      sourceId: source.id,
      url: itemUrl,
      firstSeenAt,
      ...(item.title ? { feedTitle: item.title } : {}),
      ...(item.publishedAt ? { feedPublishedAt: item.publishedAt } : {}),
    };
    if (await deps.store.claimUrl(request)) fresh.push(request);
    else outcome.alreadyKnown += 1;
  }
  if (fresh.length) {
    try {
      await deps.queue.enqueue(fresh);
    } catch (error) {
      await Promise.all(fresh.map((request) => deps.store.releaseUrl(request.url)));
      throw error;
    }
  }
  outcome.queued = fresh.length;
  await succeeded({
    ...(response.headers.etag ? { etag: response.headers.etag } : {}),
    ...(response.headers['last-modified']
      ? { lastModified: response.headers['last-modified'] }
      : {}),
  });
  deps.log.info('source read', { sourceId: source.id, url, ...outcome });
  return outcome;
}

function baseState(
  story: Story,
  source: Source,
  previous: SourceState | undefined,
  now: Date,
): SourceState {
  return {
    storyId: story.id,
    sourceId: source.id,
    url: sourceUrl(source),
    lastCheckedAt: now.toISOString(),
    consecutiveFailures: previous?.consecutiveFailures ?? 0,
    ...(previous?.lastSuccessAt ? { lastSuccessAt: previous.lastSuccessAt } : {}),
  };
}

/**
 * The entries of a source's document: a feed's items; a sitemap's pages, or the pages of the
 * most recent child sitemaps of an index; a listing page's links, following its pagination.
 * A child document that fails is logged and skipped; the first document's failure fails the source.
 */
async function readItems(
  source: Source,
  first: HttpResponse,
  deps: DiscoverDeps,
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
      for (const child of sitemap.sitemaps.slice(0, source.maxSitemaps)) {
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
  deps: DiscoverDeps,
  read: (response: HttpResponse) => Promise<void>,
): Promise<void> {
  try {
    await read(await deps.http.get(url));
  } catch (error) {
    deps.log.warn('source page skipped', { url, reason: describeError(error) });
  }
}
