import type { AnalysisDeps, StoryAnalysis } from '../2-fetch/analyse-article.js';
import { articleId } from '../2-fetch/article-id.js';
import {
  type DeadLetterDeps,
  type DeadLetterReport,
  listDeadLetters,
  replayDeadLetters,
} from '../2-fetch/dead-letters.js';
import { processRaw } from '../2-fetch/process-article.js';
import type { RetractionDeps } from '../2-fetch/retract-article.js';
import { describeError, FetchError } from '../model/errors.js';
import { isoWeekOf, localDay } from '../model/iso-week.js';
import { type Source, type Story, sourceUrl } from '../model/story.js';
import type { CoverageLedger } from '../ports/coverage-ledger.js';
import type { FetchQueue } from '../ports/fetch-queue.js';
import type { HttpClient, UrlPolicy } from '../ports/http.js';
import type { Log } from '../ports/log.js';
import type { Progress } from '../ports/progress.js';
import type { RawArchive } from '../ports/raw-archive.js';
import type { UrlLedger } from '../ports/url-ledger.js';
import {
  type Admission,
  type AdmissionRun,
  admitLinks,
  type FoundLink,
  REJECTED,
  type Rejection,
  runFrom,
} from './admit-links.js';
import type { BackfillPayload } from './backfill-payload.js';
import { type DayRange, inRange, itemDay, modifiedSince } from './date-range.js';
import type { SourceFailure } from './discover.js';
import { readSourceItems } from './source-items.js';

/**
 * Re-processing reads the raw archive and writes what fetching would, after withdrawing what
 * each article contributed before, and moves its coverage count to its new outcome.
 */
export interface ReprocessDeps extends AnalysisDeps {
  readonly rawArchive: Pick<RawArchive, 'getRaw' | 'listRawKeys'>;
  readonly articles: AnalysisDeps['articles'] & RetractionDeps['articles'];
  readonly articleArchive: AnalysisDeps['articleArchive'] & RetractionDeps['articleArchive'];
  readonly developments: AnalysisDeps['developments'] & RetractionDeps['developments'];
  readonly coverage: Pick<CoverageLedger, 'recountArticle'>;
}

export interface BackfillDeps extends ReprocessDeps, DeadLetterDeps {
  readonly seenUrls: UrlLedger;
  readonly queue: FetchQueue;
  readonly http: HttpClient;
  readonly urls: UrlPolicy;
  readonly log: Log;
  readonly now: () => Date;
  readonly progress?: Progress;
}

/** The result lists this many rejections (a sitemap can hold 50,000); `rejectedByReason` counts all. */
export const MAX_LISTED_REJECTIONS = 200;

export interface BackfillResult {
  readonly dryRun: boolean;
  /** Distinct URLs considered: the payload's own and those read from sitemaps, feeds and sources. */
  readonly considered: number;
  /** Sent to the fetch queue (in a dry run: would be). */
  readonly queued: number;
  /** Already known (discovered, fetched or queued before): not fetched again. */
  readonly skippedKnown: number;
  /** The first MAX_LISTED_REJECTIONS rejections; considered = queued + skippedKnown + every rejection. */
  readonly rejected: readonly Rejection[];
  readonly rejectedByReason: Readonly<Record<string, number>>;
  /** Sitemaps, feeds and sources that could not be read; the others were. */
  readonly sourceFailures: readonly SourceFailure[];
  /** Archived responses cleaned and analysed again (in a dry run: would be). */
  readonly reprocessed: number;
  /** Archived responses the selection left as they were, counted by why. */
  readonly notReprocessed: Readonly<Record<string, number>>;
  readonly reprocessFailed: readonly { readonly key: string; readonly reason: string }[];
  /** With `dlq`: the messages listed or replayed, each with why it failed. */
  readonly deadLetters: readonly DeadLetterReport[];
  /** With `dlq: "replay"`: messages sent back to the fetch queue. */
  readonly replayed: number;
}

/** Claims and queues go in groups this size: DynamoDB round trips overlap, SQS gets full batches. */
const CHUNK = 25;
const SILENT: Progress = { phase() {}, advance() {} };

/**
 * Brings history in: the payload's URLs and the articles listed by a sitemap, a feed or some of
 * the story's sources, kept when they fall in the date range and pass discovery's relevance
 * pre-filter, each claimed once and fanned out through the fetch queue. With `reprocess`, cleans
 * and analyses the archived responses again instead (those of `sources`, published in the
 * range), without the network. A dry run works everything out and writes nothing. The run's
 * deadline leases its claims, as discovery's (see admitLinks).
 */
export async function backfill(
  story: Story,
  payload: BackfillPayload,
  analysis: StoryAnalysis,
  deps: BackfillDeps,
  run?: AdmissionRun,
): Promise<BackfillResult> {
  if (payload.dlq) return deadLetterRun(payload.dlq, deps);
  const { deadline } = runFrom(deps.now(), run);
  const range: DayRange = { from: payload.from, to: payload.to };
  const walked = await walk(story, payload, range, deps);
  const queueing = await queueCandidates(
    story,
    payload,
    range,
    walked.candidates,
    analysis,
    deadline,
    deps,
  );
  const reprocessing = payload.reprocess
    ? await reprocessArchive(payload, analysis, deps)
    : { reprocessed: 0, notReprocessed: {}, reprocessFailed: [] };
  const result: BackfillResult = {
    dryRun: payload.dryRun,
    ...queueing,
    sourceFailures: walked.failures,
    ...reprocessing,
    deadLetters: [],
    replayed: 0,
  };
  deps.log.info('backfill finished', {
    ...result,
    rejected: Object.values(result.rejectedByReason).reduce((sum, count) => sum + count, 0),
    sourceFailures: result.sourceFailures.length,
    reprocessFailed: result.reprocessFailed.length,
  });
  return result;
}

/** `{"dlq": "list" | "replay"}`: the fetch DLQ, each message with why it failed. */
async function deadLetterRun(
  action: 'list' | 'replay',
  deps: BackfillDeps,
): Promise<BackfillResult> {
  const deadLetters =
    action === 'replay' ? await replayDeadLetters(deps) : await listDeadLetters(deps);
  deps.log.info(action === 'replay' ? 'dead letters replayed' : 'dead letters listed', {
    count: deadLetters.length,
  });
  return {
    dryRun: false,
    considered: 0,
    queued: 0,
    skippedKnown: 0,
    rejected: [],
    rejectedByReason: {},
    sourceFailures: [],
    reprocessed: 0,
    notReprocessed: {},
    reprocessFailed: [],
    deadLetters,
    replayed: action === 'replay' ? deadLetters.length : 0,
  };
}

/** The payload's URLs, then the entries of every document to walk. */
async function walk(
  story: Story,
  payload: BackfillPayload,
  range: DayRange,
  deps: BackfillDeps,
): Promise<{ candidates: FoundLink[]; failures: SourceFailure[] }> {
  const candidates: FoundLink[] = (payload.urls ?? []).map((link) => ({
    link,
    sourceId: payload.sourceId,
    explicit: true,
  }));
  const documents: Source[] = [
    ...(payload.sitemap
      ? [
          {
            id: payload.sourceId,
            type: 'sitemap' as const,
            url: payload.sitemap,
            maxSitemaps: payload.maxSitemaps,
          },
        ]
      : []),
    // parseFeed tells RSS, Atom and RDF apart by their root element.
    ...(payload.feed ? [{ id: payload.sourceId, type: 'rss' as const, url: payload.feed }] : []),
    // With `reprocess`, `sources` selects archived articles instead: no network.
    ...(payload.reprocess
      ? []
      : story.sources.filter((source) => payload.sources?.includes(source.id))),
  ];
  const failures: SourceFailure[] = [];
  const progress = deps.progress ?? SILENT;
  if (documents.length) progress.phase('read sources', documents.length);
  for (const source of documents) {
    const url = sourceUrl(source);
    try {
      // Unconditional: a backfill wants the whole document, whatever discovery saw last.
      const response = await deps.http.get(url);
      if (response.status < 200 || response.status >= 300) {
        throw new FetchError(response.finalUrl, `HTTP ${response.status}`, true);
      }
      const items = await readSourceItems(source, response, deps, {
        // History lies further back than discovery's few most recent children reach.
        maxSitemaps: payload.maxSitemaps,
        modifiedSince: modifiedSince(range),
      });
      for (const item of items) {
        candidates.push({ ...item, link: item.url, sourceId: source.id });
      }
      deps.log.info('backfill source read', { sourceId: source.id, url, items: items.length });
    } catch (error) {
      const reason = describeError(error);
      failures.push({ sourceId: source.id, url, reason });
      deps.log.error('backfill source failed', { sourceId: source.id, url, reason });
    }
    progress.advance(1);
  }
  return { candidates, failures };
}

async function queueCandidates(
  story: Story,
  payload: BackfillPayload,
  range: DayRange,
  candidates: readonly FoundLink[],
  { relevance }: StoryAnalysis,
  deadline: Date,
  deps: BackfillDeps,
): Promise<
  Pick<BackfillResult, 'considered' | 'queued' | 'skippedKnown' | 'rejected' | 'rejectedByReason'>
> {
  const rejected: Rejection[] = [];
  const rejectedByReason: Record<string, number> = {};
  const ranged = range.from !== undefined || range.to !== undefined;
  const admission: Admission = {
    story,
    relevance,
    firstSeenAt: deps.now().toISOString(),
    leaseUntil: deadline.toISOString(),
    seen: new Set(),
    dryRun: payload.dryRun,
    refuse: (url, link) => {
      const refusal = deps.urls.refusal(url);
      if (refusal) return { url, reason: refusal };
      if (!ranged) return undefined;
      const day = itemDay(link.publishedAt, url, story.timeZone);
      // A range is a promise to stay in the period: only an operator's own URL may lack a date.
      if (day === undefined) return link.explicit ? undefined : { url, reason: REJECTED.undated };
      return inRange(day, range) ? undefined : { url, reason: REJECTED.outsideRange, detail: day };
    },
  };
  const progress = deps.progress ?? SILENT;
  let queued = 0;
  let skippedKnown = 0;
  if (candidates.length) progress.phase('queue', candidates.length);
  for (let start = 0; start < candidates.length; start += CHUNK) {
    const chunk = candidates.slice(start, start + CHUNK);
    const admitted = await admitLinks(chunk, admission, deps);
    for (const rejection of admitted.rejected) {
      rejectedByReason[rejection.reason] = (rejectedByReason[rejection.reason] ?? 0) + 1;
      if (rejected.length < MAX_LISTED_REJECTIONS) rejected.push(rejection);
    }
    queued += admitted.queued.length;
    skippedKnown += admitted.known;
    progress.advance(chunk.length);
  }
  const rejections = Object.values(rejectedByReason).reduce((sum, count) => sum + count, 0);
  return {
    considered: queued + skippedKnown + rejections,
    queued,
    skippedKnown,
    rejected,
    rejectedByReason,
  };
}

/**
 * `{"reprocess": true}`: cleans and analyses the archived responses again (those of the
 * payload's `sources`, published in its range), each replacing what the article contributed
 * before, so that after an extractor change the store holds what a fresh run would.
 */
export async function reprocessArchive(
  payload: Pick<BackfillPayload, 'from' | 'to' | 'sources' | 'dryRun'>,
  analysis: StoryAnalysis,
  deps: ReprocessDeps & { readonly progress?: Progress },
): Promise<Pick<BackfillResult, 'reprocessed' | 'notReprocessed' | 'reprocessFailed'>> {
  const range: DayRange = { from: payload.from, to: payload.to };
  const keys: string[] = [];
  for await (const key of deps.rawArchive.listRawKeys()) keys.push(key);
  const progress = deps.progress ?? SILENT;
  progress.phase('reprocess', keys.length);
  const ranged = range.from !== undefined || range.to !== undefined;
  // Known only after cleaning: the page's own date, else its feed's, else its URL's.
  const select = (url: string) => (publishedAt: string | undefined) => {
    const day = itemDay(publishedAt, url, analysis.story.timeZone);
    if (day === undefined) return REJECTED.undated;
    return inRange(day, range) ? undefined : REJECTED.outsideRange;
  };
  let reprocessed = 0;
  const notReprocessed: Record<string, number> = {};
  const reprocessFailed: { key: string; reason: string }[] = [];
  for (const key of keys) {
    try {
      const raw = await deps.rawArchive.getRaw(key);
      const source = raw.request.sourceId;
      if (payload.sources && !payload.sources.includes(source)) {
        notReprocessed['another source'] = (notReprocessed['another source'] ?? 0) + 1;
      } else {
        const id = articleId(raw.request.url);
        const outcome = await processRaw(id, raw, analysis, deps, {
          claimCanonical: false,
          select: ranged ? select(raw.request.url) : undefined,
          write: !payload.dryRun,
          replacing: deps,
        });
        if (outcome.status === 'skipped' || outcome.status === 'unselected') {
          notReprocessed[outcome.reason] = (notReprocessed[outcome.reason] ?? 0) + 1;
        } else {
          reprocessed += 1;
          if (!payload.dryRun) {
            // The week fetching counted it in: its publication's, else when it was read.
            const published =
              ('publishedAt' in outcome ? outcome.publishedAt : undefined) ??
              raw.request.feedPublishedAt ??
              raw.fetchedAt;
            const week = isoWeekOf(localDay(new Date(published), analysis.story.timeZone));
            await deps.coverage.recountArticle(analysis.story.id, week, outcome.status, id);
          }
        }
      }
    } catch (error) {
      reprocessFailed.push({ key, reason: describeError(error) });
      deps.log.error('reprocess failed', { key, reason: describeError(error) });
    }
    progress.advance(1);
  }
  return { reprocessed, notReprocessed, reprocessFailed };
}
