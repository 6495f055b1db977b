import { RelevanceFilter } from '../4-extract/relevance.js';
import { describeError } from '../model/errors.js';
import { METRIC, SOURCE_DIMENSION } from '../model/metric-names.js';
import { type Source, type Story, sourceUrl } from '../model/story.js';
import type { FetchQueue } from '../ports/fetch-queue.js';
import type { HttpClient } from '../ports/http.js';
import type { Log } from '../ports/log.js';
import type { Metrics } from '../ports/metrics.js';
import type { SourceState, SourceStates } from '../ports/source-states.js';
import type { UrlLedger } from '../ports/url-ledger.js';
import { type AdmissionRun, admitLinks, REJECTED, runFrom } from './admit-links.js';
import { readSourceItems } from './source-items.js';

export interface DiscoverDeps {
  readonly http: HttpClient;
  readonly sourceStates: SourceStates;
  readonly seenUrls: UrlLedger;
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
 * its health, and does not stop the other sources. The run's deadline leases its claims (see
 * admitLinks): if it dies before queueing them, a run after the deadline takes them over.
 */
export async function discover(
  story: Story,
  deps: DiscoverDeps,
  run?: AdmissionRun,
): Promise<DiscoverResult> {
  const { deadline } = runFrom(deps.now(), run);
  const relevance = new RelevanceFilter(story.relevance);
  const totals = {
    sourcesChecked: 0,
    sourcesUnchanged: 0,
    itemsSeen: 0,
    offStory: 0,
    alreadyKnown: 0,
    queued: 0,
  };
  // Read side by side (the HTTP client bounds how many at once and paces each host): a source
  // that hangs until its timeout delays no other.
  const outcomes = await Promise.all(
    story.sources.map(async (source): Promise<SourceOutcome | SourceFailure> => {
      const previous = await deps.sourceStates.getSourceState(story.id, source.id);
      try {
        return await discoverSource(story, source, previous, relevance, deadline, deps);
      } catch (error) {
        const reason = describeError(error);
        const consecutiveFailures = (previous?.consecutiveFailures ?? 0) + 1;
        deps.log.error('source failed', {
          sourceId: source.id,
          url: sourceUrl(source),
          consecutiveFailures,
          reason,
        });
        deps.metrics.count(METRIC.sourceFailureStreak, consecutiveFailures, {
          [SOURCE_DIMENSION]: source.id,
        });
        await deps.sourceStates.putSourceState({
          ...baseState(story, source, previous, deps.now()),
          consecutiveFailures,
          lastError: reason,
        });
        return { sourceId: source.id, url: sourceUrl(source), reason };
      }
    }),
  );
  const failures: SourceFailure[] = [];
  for (const outcome of outcomes) {
    totals.sourcesChecked += 1;
    if ('reason' in outcome) {
      failures.push(outcome);
      continue;
    }
    totals.sourcesUnchanged += outcome.unchanged ? 1 : 0;
    totals.itemsSeen += outcome.itemsSeen;
    totals.offStory += outcome.offStory;
    totals.alreadyKnown += outcome.alreadyKnown;
    totals.queued += outcome.queued;
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
  deadline: Date,
  deps: DiscoverDeps,
): Promise<SourceOutcome> {
  const url = sourceUrl(source);
  const conditional = previous?.url === url ? previous : undefined;
  const response = await deps.http.get(url, {
    etag: conditional?.etag,
    lastModified: conditional?.lastModified,
  });
  const checkedAt = deps.now();
  const succeeded = (state: Partial<SourceState>) =>
    deps.sourceStates.putSourceState({
      ...baseState(story, source, previous, checkedAt),
      ...state,
      lastSuccessAt: checkedAt.toISOString(),
      consecutiveFailures: 0,
    });
  if (response.status === 304) {
    await succeeded({
      etag: conditional?.etag,
      lastModified: conditional?.lastModified,
    });
    return { unchanged: true, itemsSeen: 0, offStory: 0, alreadyKnown: 0, queued: 0 };
  }
  const items = await readSourceItems(source, response, deps);
  const outcome: SourceOutcome = {
    unchanged: false,
    itemsSeen: items.length,
    offStory: 0,
    alreadyKnown: 0,
    queued: 0,
  };
  const admitted = await admitLinks(
    items.map((item) => ({ ...item, link: item.url, sourceId: source.id })),
    // The same entry twice in one document (duplicate GUIDs) is one article.
    {
      story,
      relevance,
      firstSeenAt: checkedAt.toISOString(),
      leaseUntil: deadline.toISOString(),
      seen: new Set(),
    },
    deps,
  );
  outcome.offStory = admitted.rejected.filter(
    (rejection) => rejection.reason === REJECTED.offStory,
  ).length;
  outcome.alreadyKnown = admitted.known;
  outcome.queued = admitted.queued.length;
  await succeeded({
    etag: response.headers.etag,
    lastModified: response.headers['last-modified'],
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
    lastSuccessAt: previous?.lastSuccessAt,
  };
}
