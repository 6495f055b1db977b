import { canonicalUrl } from '../canonical-url.js';
import { decodeBody } from '../charset.js';
import { describeError, FetchError } from '../errors.js';
import { parseFeed } from '../feed.js';
import type {
  FetchQueue,
  FetchRequest,
  HttpClient,
  Log,
  SourceState,
  StoryStore,
} from '../ports.js';
import { RelevanceFilter } from '../relevance.js';
import type { FeedSource, Story } from '../story.js';

export interface DiscoverDeps {
  readonly http: HttpClient;
  readonly store: StoryStore;
  readonly queue: FetchQueue;
  readonly log: Log;
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
      failures.push({ sourceId: source.id, url: source.url, reason });
      deps.log.error('source failed', { sourceId: source.id, url: source.url, reason });
      await deps.store.putSourceState({
        ...baseState(story, source, previous, deps.now()),
        consecutiveFailures: (previous?.consecutiveFailures ?? 0) + 1,
        lastError: reason,
      });
    }
  }
  const result = { ...totals, failures };
  deps.log.info('discovery finished', { storyId: story.id, ...totals, failed: failures.length });
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
  source: FeedSource,
  previous: SourceState | undefined,
  relevance: RelevanceFilter,
  deps: DiscoverDeps,
): Promise<SourceOutcome> {
  const conditional = previous?.url === source.url ? previous : undefined;
  const response = await deps.http.get(source.url, {
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
  if (response.status < 200 || response.status >= 300) {
    throw new FetchError(source.url, `HTTP ${response.status}`, response.status < 500);
  }
  const items = parseFeed(
    decodeBody(response.body, response.headers['content-type']),
    response.finalUrl,
  );
  const outcome: SourceOutcome = {
    unchanged: false,
    itemsSeen: items.length,
    offStory: 0,
    alreadyKnown: 0,
    queued: 0,
  };
  const fresh: FetchRequest[] = [];
  const firstSeenAt = checkedAt.toISOString();
  for (const item of items) {
    // Items without a summary cannot be judged here: the fetcher judges them on their text.
    if (item.summary && !relevance.judge(`${item.title}\n${item.summary}`).relevant) {
      outcome.offStory += 1;
      continue;
    }
    const url = canonicalUrl(item.url);
    if (!url) continue;
    const request: FetchRequest = {
      storyId: story.id,
      sourceId: source.id,
      url,
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
  deps.log.info('source read', { sourceId: source.id, url: source.url, ...outcome });
  return outcome;
}

function baseState(
  story: Story,
  source: FeedSource,
  previous: SourceState | undefined,
  now: Date,
): SourceState {
  return {
    storyId: story.id,
    sourceId: source.id,
    url: source.url,
    lastCheckedAt: now.toISOString(),
    consecutiveFailures: previous?.consecutiveFailures ?? 0,
    ...(previous?.lastSuccessAt ? { lastSuccessAt: previous.lastSuccessAt } : {}),
  };
}
