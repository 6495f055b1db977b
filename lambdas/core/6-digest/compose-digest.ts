import { developmentsReported } from '../5-cluster/cluster.js';
import { headlineOf } from '../5-cluster/developments.js';
import { copiesAmong } from '../5-cluster/near-duplicates.js';
import { daySpan } from '../model/date-span.js';
import { addDays, mondayOf, weekWindow, zonedMidnight } from '../model/iso-week.js';
import type { Development, EventType } from '../model/records.js';
import type { Story } from '../model/story.js';
import type { ArticleStore } from '../ports/article-store.js';
import type { CoverageLedger } from '../ports/coverage-ledger.js';
import type { DeliveryLedger } from '../ports/delivery-ledger.js';
import type { DevelopmentStore } from '../ports/development-store.js';
import type { SourceStates } from '../ports/source-states.js';
import { coverageOf } from './coverage.js';
import { buildDigest, type Digest } from './digest.js';
import { lateFinds } from './late-finds.js';
import { STRANDS, type StrandLatest } from './story-status.js';

/** The weeks the digest's timeline chart shows; the digest reads no further back (but for merging). */
const TIMELINE_WEEKS = 12;

/** What composing a digest reads: each read bounded by time, not by the story's history. */
export interface ComposeDeps {
  readonly developments: Pick<DevelopmentStore, 'developmentsFirstReported' | 'latestOfType'>;
  readonly articles: Pick<ArticleStore, 'fingerprintsBetween'>;
  readonly coverage: Pick<CoverageLedger, 'articleCounts'>;
  readonly sourceStates: Pick<SourceStates, 'getSourceState'>;
  readonly deliveries: Pick<DeliveryLedger, 'firstSentAt'>;
}

/**
 * Builds one week's digest. What it reads is bounded by time, not by the story's history: the
 * developments first reported in the chart's 12 weeks (and the merge look-back, if longer)
 * through the time index, and each strand's latest development through the per-type index. A
 * happening that another outlet reported in those weeks, under another key, is merged with it
 * and so is not new this week. A source that copies another article (a syndicated story, a
 * light rewrite) is marked with the original's id.
 */
export async function composeDigest(
  story: Story,
  week: string,
  deps: ComposeDeps,
): Promise<Digest> {
  const window = weekWindow(week, story.timeZone);
  const lookback = new Date(
    Date.parse(window.from) - (story.digest.backgroundDays + 7) * 86_400_000,
  ).toISOString();
  const chartStart = zonedMidnight(
    addDays(mondayOf(week), -7 * (TIMELINE_WEEKS - 1)),
    story.timeZone,
  );
  const weekEnd = addDays(mondayOf(week), 6);
  const [merged, fingerprints, counts, states, strands] = await Promise.all([
    developmentsReported(deps.developments, story.id, minInstant(lookback, chartStart), window.to),
    deps.articles.fingerprintsBetween(story.id, lookback, window.to),
    deps.coverage.articleCounts(story.id, week),
    Promise.all(
      story.sources.map((source) => deps.sourceStates.getSourceState(story.id, source.id)),
    ),
    Promise.all(STRANDS.map(({ type }) => deps.developments.latestOfType(story.id, type, weekEnd))),
  ]);
  const copies = copiesAmong(fingerprints);
  const recent = merged.map((development) =>
    development.firstReportedAt < lookback
      ? development
      : {
          ...development,
          sources: development.sources.map((source) => {
            const original = copies.get(source.articleId);
            return original
              ? { ...source, duplicateOf: { articleId: original.articleId, kind: original.kind } }
              : source;
          }),
        },
  );
  const coverage = coverageOf(
    story.sources.map((source, index) => ({
      outlet: source.outlet ?? source.id,
      state: states[index],
    })),
    counts,
  );
  const foundLate = await lateFinds(
    recent,
    window,
    lookback,
    (reported) => deps.deliveries.firstSentAt(story.id, reported),
    story.timeZone,
  );
  const latest = new Map(
    STRANDS.flatMap(({ type }, index) => {
      const strand = latestClustered(recent, type, weekEnd, strands[index]) ?? strands[index];
      return strand ? [[type, strand] as const] : [];
    }),
  );
  return buildDigest({ story, window, recent, strands: latest, coverage, foundLate });
}

/**
 * A strand's latest development as of `upToDay`, as the digest's own clustering of the recent
 * weeks tells it (the per-type index keeps each report apart: a report that dates yesterday's
 * delivery to today is not a later delivery); the index's answer stands for older history.
 */
function latestClustered(
  recent: readonly Development[],
  type: EventType,
  upToDay: string,
  indexed: StrandLatest | undefined,
): StrandLatest | undefined {
  const [development] = recent
    .filter((candidate) => candidate.type === type && daySpan(candidate.date).first <= upToDay)
    .sort((a, b) => daySpan(b.date).first.localeCompare(daySpan(a.date).first));
  if (!development || (indexed && daySpan(indexed.date).first > daySpan(development.date).last)) {
    return undefined;
  }
  return {
    developmentId: development.id,
    date: development.date,
    headline: headlineOf(development),
    amount: development.amount ?? indexed?.amount,
  };
}

function minInstant(a: string, b: string): string {
  return a < b ? a : b;
}
