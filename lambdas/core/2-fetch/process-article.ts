import { articleUrl } from '../1-discover/canonical-url.js';
import { cleanHtml } from '../3-clean/article.js';
import { pageDay, toInstant } from '../3-clean/published-date.js';
import { Deadline } from '../model/deadline.js';
import { BudgetExceededError, describeError, FetchError } from '../model/errors.js';
import { isoWeekOf, localDay } from '../model/iso-week.js';
import {
  failureReason,
  httpStatusReason,
  METRIC,
  type NotStoredReason,
  REASON_DIMENSION,
} from '../model/metric-names.js';
import { type Story, sourceUrl } from '../model/story.js';
import type { CoverageLedger } from '../ports/coverage-ledger.js';
import type { FetchFailures } from '../ports/fetch-failures.js';
import type { FetchRequest } from '../ports/fetch-queue.js';
import type { HttpClient, HttpResponse } from '../ports/http.js';
import type { Metrics } from '../ports/metrics.js';
import type { RawArchive, RawResponseRecord } from '../ports/raw-archive.js';
import {
  type AnalysisDeps,
  type AnalysisOptions,
  type AnalysisOutcome,
  analyseArticle,
  type StoryAnalysis,
} from './analyse-article.js';
import { articleId, rawKey } from './article-id.js';
import { decodeBody } from './charset.js';
import { pageKind } from './content-type.js';

export interface ProcessDeps extends AnalysisDeps {
  readonly http: HttpClient;
  readonly rawArchive: Pick<RawArchive, 'putRaw'>;
  readonly coverage: Pick<CoverageLedger, 'countArticle'>;
  /** Where a failed attempt's reason is kept, for whoever reads the DLQ. */
  readonly failures: Pick<FetchFailures, 'recordFailure'>;
  readonly metrics: Metrics;
  readonly now: () => Date;
}

export type ProcessOutcome =
  | AnalysisOutcome
  | { readonly status: 'duplicate'; readonly articleId: string; readonly canonical: string }
  | { readonly status: 'skipped'; readonly reason: string; readonly failure: NotStoredReason }
  /** Archived, but over its processing budget: left for a re-processing to read. */
  | { readonly status: 'not-cleanable'; readonly reason: string }
  /** Left as it was by a re-processing that selects by date (`select`). */
  | { readonly status: 'unselected'; readonly reason: string };

/**
 * Fetches one discovered URL, archives the raw response before any parsing, then cleans,
 * stores and analyses it. Throws on failures worth retrying (network, 5xx, storage); returns
 * `skipped` with the reason for permanent ones (404, non-HTML), which are not retried. Each
 * outcome is counted in its article's week (else the week it was read), for the digest's
 * coverage report.
 */
export async function fetchAndProcess(
  request: FetchRequest,
  analysis: StoryAnalysis,
  deps: ProcessDeps,
): Promise<ProcessOutcome> {
  let outcome: ProcessOutcome;
  try {
    outcome = await fetchOnce(request, analysis, deps);
  } catch (error) {
    // Thrown means retried (SQS, then the DLQ): counted and logged per attempt, with the URL.
    const failure = failureReason(error);
    deps.metrics.count(METRIC.articlesNotStored, 1, { [REASON_DIMENSION]: failure });
    deps.log.error('article fetch failed', {
      url: request.url,
      sourceId: request.sourceId,
      failure,
      reason: describeError(error),
    });
    // Kept for the DLQ's reader: the last attempt's reason is why the message was set aside.
    await deps.failures
      .recordFailure(request.url, describeError(error), deps.now().toISOString())
      .catch((recording: unknown) =>
        deps.log.error('fetch failure not recorded', {
          url: request.url,
          reason: describeError(recording),
        }),
      );
    throw error;
  }
  countOutcome(outcome, deps.metrics);
  // Counted in the week the article belongs to, so a backfilled week's digest counts it too.
  const published =
    ('publishedAt' in outcome ? outcome.publishedAt : undefined) ?? request.feedPublishedAt;
  const week = isoWeekOf(
    localDay(published ? new Date(published) : deps.now(), analysis.story.timeZone),
  );
  // Keyed by the fetched URL's id: a retried or duplicate message is not counted twice.
  if (outcome.status !== 'unselected') {
    await deps.coverage.countArticle(
      analysis.story.id,
      week,
      outcome.status,
      articleId(request.url),
    );
  }
  return outcome;
}

async function fetchOnce(
  request: FetchRequest,
  analysis: StoryAnalysis,
  deps: ProcessDeps,
): Promise<ProcessOutcome> {
  let response: HttpResponse;
  try {
    response = await deps.http.get(request.url);
  } catch (error) {
    // Permanent refusals (robots.txt, the address guard, size caps) are final: no retry.
    if (error instanceof FetchError && error.permanent) {
      return skip(request, deps, error.message, failureReason(error));
    }
    throw error;
  }
  if (response.status === 429 || response.status >= 500) {
    throw new FetchError(request.url, `HTTP ${response.status}`, false);
  }
  if (response.status !== 200) {
    return skip(request, deps, `HTTP ${response.status}`, httpStatusReason(response.status));
  }
  const kind = pageKind(response.headers['content-type'], response.body);
  if (!kind.html) return skip(request, deps, kind.reason, 'not-html');
  const id = articleId(request.url);
  const record: RawResponseRecord = { ...response, fetchedAt: deps.now().toISOString(), request };
  await deps.rawArchive.putRaw(rawKey(id), record);
  deps.metrics.count(METRIC.articlesFetched, 1);
  try {
    return await processRaw(id, record, analysis, deps, { claimCanonical: true });
  } catch (error) {
    // Archived already: a re-processing with a larger budget can read it later.
    if (error instanceof BudgetExceededError) {
      deps.log.warn('page not cleanable in its budget', {
        url: request.url,
        sourceId: request.sourceId,
        reason: error.message,
      });
      await deps.seenUrls.markUrl(request.url, 'skipped', error.message);
      return { status: 'not-cleanable', reason: error.message };
    }
    throw error;
  }
}

async function skip(
  request: FetchRequest,
  deps: ProcessDeps,
  reason: string,
  failure: NotStoredReason,
): Promise<ProcessOutcome> {
  deps.log.warn('page skipped', { url: request.url, sourceId: request.sourceId, failure, reason });
  await deps.seenUrls.markUrl(request.url, 'skipped', reason);
  return { status: 'skipped', reason, failure };
}

/**
 * Counted here, not in processRaw: re-processing the archive (backfill) reads old pages again and
 * must not count them as new articles.
 */
function countOutcome(outcome: ProcessOutcome, metrics: Metrics): void {
  switch (outcome.status) {
    case 'stored':
    case 'not-understood':
      metrics.count(METRIC.articlesStored, 1);
      metrics.count(METRIC.eventsExtracted, outcome.events);
      metrics.count(METRIC.developmentsCreated, outcome.developmentsCreated);
      return;
    case 'skipped':
      metrics.count(METRIC.articlesNotStored, 1, { [REASON_DIMENSION]: outcome.failure });
      return;
    case 'unselected':
      return;
    default:
      metrics.count(METRIC.articlesNotStored, 1, { [REASON_DIMENSION]: outcome.status });
  }
}

export interface ProcessOptions extends AnalysisOptions {
  /** Claim the page's canonical URL, so a copy under another URL is not stored twice. */
  readonly claimCanonical: boolean;
  /**
   * Re-processing's selection by publication date (known only once the page is cleaned): the
   * reason to leave the article as it is, or undefined to go on.
   */
  readonly select?: (publishedAt: string | undefined) => string | undefined;
}

/** Cleaning and analysis of an archived response: shared by fetching and re-processing. */
export async function processRaw(
  id: string,
  raw: RawResponseRecord,
  analysis: StoryAnalysis,
  deps: AnalysisDeps,
  options: ProcessOptions,
): Promise<ProcessOutcome> {
  const { request } = raw;
  const deadline = new Deadline(request.url, analysis.story.fetch.processBudgetMs, deps.clock);
  const html = decodeBody(raw.body, raw.headers['content-type']);
  const cleaned = cleanHtml(html, raw.finalUrl, new Date(raw.fetchedAt), deadline);
  deadline.check('reading events');
  const canonical = articleUrl(raw.finalUrl, cleaned.canonicalUrl);
  // Found under another URL (an AMP copy, a redirect, tracking links): fetched once per article.
  // The claim is this request's: a retry of it (the first attempt died later on) claims again.
  if (
    options.claimCanonical &&
    canonical !== request.url &&
    !(await deps.seenUrls.claimUrl({ ...request, url: canonical }, { foundAt: request.url }))
  ) {
    deps.log.info('article already known under its canonical URL', {
      url: request.url,
      articleId: id,
      canonical,
    });
    return { status: 'duplicate', articleId: id, canonical };
  }
  const title = cleaned.title || request.feedTitle || canonical;
  // Stored as UTC instants: they are compared and indexed as strings. The day the page shows is
  // kept beside, for the events: a page of 01:00+03:00 on 12 July tells 12 July's news.
  const publishedAt = cleaned.publishedAt
    ? toInstant(cleaned.publishedAt)
    : request.feedPublishedAt;
  const publishedDay = cleaned.publishedAt ? pageDay(cleaned.publishedAt) : undefined;
  const unselected = options.select?.(publishedAt);
  if (unselected) return { status: 'unselected', reason: unselected };
  return analyseArticle(
    {
      id,
      storyId: analysis.story.id,
      url: canonical,
      sourceId: request.sourceId,
      title,
      outlet: outletName(cleaned.outlet, canonical, request.sourceId, analysis.story),
      lang: cleaned.lang,
      publishedAt,
      publishedDay,
      firstSeenAt: request.firstSeenAt,
      fetchedAt: raw.fetchedAt,
      text: cleaned.text,
      rawKey: rawKey(id),
    },
    analysis,
    deps,
    options,
  );
}

/**
 * The page's own site name when it has one; otherwise the name the story gives the source the
 * page came from (if the page is on that source's site); otherwise the host.
 */
function outletName(
  siteName: string | undefined,
  url: string,
  sourceId: string,
  story: Story,
): string {
  const host = new URL(url).hostname;
  if (siteName && siteName !== host) return siteName;
  const source = story.sources.find((candidate) => candidate.id === sourceId);
  if (source?.outlet && new URL(sourceUrl(source)).host === new URL(url).host) return source.outlet;
  return host;
}
