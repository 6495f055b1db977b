import { headlineOf } from '../5-cluster/developments.js';
import { calendarDate } from '../model/date-span.js';
import type { WeekWindow } from '../model/iso-week.js';
import type { Development, DevelopmentSource, EventType } from '../model/records.js';
import type { Story } from '../model/story.js';
import type { Coverage } from './coverage.js';
import { type TimelineBar, weeklyTimeline } from './digest-timeline.js';
import { EventTypeLabels } from './event-type-labels.js';
import { type StatusRow, type StrandLatest, storyStatus } from './story-status.js';

export interface DigestSource {
  readonly url: string;
  readonly outlet: string;
  readonly title: string;
  readonly publishedAt: string | undefined;
  /** The outlet whose report this one copies word for word (a syndicated story). */
  readonly copyOf?: string;
}

export interface DigestItem {
  readonly id: string;
  readonly type: EventType;
  readonly typeLabel: string;
  readonly date: string;
  readonly precision: string;
  /** The development in one line: the title of an article about it, else its sentence. */
  readonly headline: string;
  /** The sentence that reports it, as the first outlet wrote it. */
  readonly summary: string;
  /** The summary quoted under the headline, when the headline is an article's title. */
  readonly quote?: string;
  readonly actors: readonly string[];
  readonly firstReportedAt: string;
  readonly sources: readonly DigestSource[];
  /** Reported before this week but found only during it: "reported earlier, found now". */
  readonly foundLate?: true;
  /** For a denial, what it answers: "Statement, 17 Jul 2019: …". */
  readonly answers?: {
    readonly id: string;
    readonly typeLabel: string;
    readonly date: string;
    readonly summary: string;
    readonly headline: string;
    /** Listed in the same digest: named, not told again. */
    readonly listed?: boolean;
  };
}

export interface Digest {
  readonly storyId: string;
  readonly storyTitle: string;
  /** The sender's postal address, for the footer. */
  readonly postalAddress: string;
  readonly week: string;
  readonly from: string;
  readonly to: string;
  /** Two lines at the top: what kinds of things happened, and the biggest of them. */
  readonly overview: readonly [string, string];
  /** The week's new developments, most important first (but the denials of `exchanges`). */
  readonly items: readonly DigestItem[];
  /** The week's denials, shown beside the claims or acts they answer. */
  readonly exchanges: readonly DigestItem[];
  readonly status: readonly StatusRow[];
  readonly timeline: readonly TimelineBar[];
  readonly coverage: Coverage;
}

export interface DigestInput {
  readonly story: Pick<Story, 'id' | 'title' | 'timeZone' | 'events'> & {
    readonly digest: Pick<Story['digest'], 'postalAddress'>;
  };
  readonly window: WeekWindow;
  /**
   * The developments first reported in the 12 weeks up to the window's end (and at least the
   * merge look-back), merged: the week's own, and those the timeline counts.
   */
  readonly recent: readonly Development[];
  /** Each strand's latest development as of the window's end (the status box). */
  readonly strands: ReadonlyMap<EventType, StrandLatest>;
  readonly coverage: Coverage;
  /** Developments reported before the window but first found during it (see late-finds.ts). */
  readonly foundLate?: readonly Development[];
}

/**
 * The week's digest: developments first reported in the window, most important first
 * (type, then number of independent outlets, then actors involved), then newest first; the
 * story's status and its last 12 weeks; what was read to find them.
 */
export function buildDigest({
  story,
  window,
  recent,
  strands,
  coverage,
  foundLate = [],
}: DigestInput): Digest {
  const labels = new EventTypeLabels(story.events);
  const toItem = (development: Development) => itemOf(development, labels);
  const items = recent
    .filter(
      (development) =>
        development.firstReportedAt >= window.from && development.firstReportedAt < window.to,
    )
    .map(toItem)
    .concat(foundLate.map((development) => ({ ...toItem(development), foundLate: true as const })))
    .filter((item) => item.sources.length > 0)
    .sort((a, b) => importance(b, labels) - importance(a, labels) || b.date.localeCompare(a.date));
  // What a denial answers is told in full only when this digest does not list it too.
  const listed = new Set(items.map((item) => item.id));
  const withAnswers = items.map((item) =>
    item.answers && listed.has(item.answers.id)
      ? { ...item, answers: { ...item.answers, listed: true } }
      : item,
  );
  return {
    storyId: story.id,
    storyTitle: story.title,
    postalAddress: story.digest.postalAddress,
    week: window.week,
    from: window.from,
    to: window.to,
    overview: overviewOf(withAnswers, coverage),
    items: withAnswers.filter((item) => !item.answers),
    exchanges: withAnswers.filter((item) => item.answers),
    status: storyStatus(strands, new Set(withAnswers.map((item) => item.type))),
    timeline: weeklyTimeline(recent, window.week, story.timeZone),
    coverage,
  };
}

function overviewOf(items: readonly DigestItem[], coverage: Coverage): [string, string] {
  const read = `${coverage.sourcesChecked} source${coverage.sourcesChecked === 1 ? '' : 's'} checked, ${coverage.articlesRead} article${coverage.articlesRead === 1 ? '' : 's'} read`;
  const [top] = items;
  if (!top)
    return ['No new developments this week.', `${read}; nothing had not been reported before.`];
  const kinds = new Map<string, number>();
  for (const item of items) kinds.set(item.typeLabel, (kinds.get(item.typeLabel) ?? 0) + 1);
  const listing = [...kinds].map(([label, count]) =>
    count > 1 ? `${count} × ${label.toLowerCase()}` : label.toLowerCase(),
  );
  return [
    `${items.length} new development${items.length === 1 ? '' : 's'}: ${listing.join(', ')}.`,
    `The biggest: ${shortened(top.headline, OVERVIEW_CHARS)}`,
  ];
}

/** The overview is read in a mail list's preview line: one headline's worth. */
const OVERVIEW_CHARS = 160;

function shortened(text: string, limit: number): string {
  if (text.length <= limit) return text;
  const cut = text.slice(0, limit);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), limit / 2)).trimEnd()}…`;
}

function itemOf(development: Development, labels: EventTypeLabels): DigestItem {
  return {
    id: development.id,
    type: development.type,
    typeLabel: labels.label(development.type),
    date: development.date,
    precision: development.precision,
    headline: headlineOf(development),
    summary: development.summary,
    quote: headlineOf(development) !== development.summary ? development.summary : undefined,
    actors: development.actors,
    firstReportedAt: development.firstReportedAt,
    ...(development.answers
      ? {
          answers: {
            id: development.answers.id,
            typeLabel: labels.label(development.answers.type),
            date: development.answers.date,
            summary: development.answers.summary,
            headline: development.answers.headline,
          },
        }
      : {}),
    sources: development.sources
      .filter((source) => isWebLink(source.url))
      .map((source) => toSource(source, development.sources))
      .sort((a, b) => (a.publishedAt ?? '').localeCompare(b.publishedAt ?? '')),
  };
}

function toSource(source: DevelopmentSource, all: readonly DevelopmentSource[]): DigestSource {
  // A copy is named as such; a rewrite is the outlet's own telling, and listed as its report.
  const original =
    source.duplicateOf?.kind === 'copy'
      ? all.find((other) => other.articleId === source.duplicateOf?.articleId)
      : undefined;
  return {
    url: source.url,
    outlet: source.outlet,
    title: source.title,
    publishedAt: source.publishedAt,
    copyOf: original?.outlet,
  };
}

function importance(item: DigestItem, labels: EventTypeLabels): number {
  // A syndicated copy is not an independent outlet's report.
  const outlets = new Set(
    item.sources.filter((source) => !source.copyOf).map((source) => source.outlet),
  ).size;
  return labels.weight(item.type) * 10 + Math.min(outlets, 5) * 5 + Math.min(item.actors.length, 3);
}

/** Only http(s) links from scraped pages reach a reader (`javascript:` would run in a browser). */
export function isWebLink(url: string): boolean {
  return /^https?:\/\//i.test(url);
}

/** The digest's machine-readable form (the archive's .json and `digest --format json`). */
export function digestJson(digest: Digest): string {
  return JSON.stringify({
    week: digest.week,
    storyId: digest.storyId,
    from: digest.from,
    to: digest.to,
    overview: digest.overview,
    // Every development of the week; a denial carries the claim it answers.
    items: [...digest.items, ...digest.exchanges].map((item) => ({
      id: item.id,
      type: item.type,
      date: calendarDate(item.date),
      precision: item.precision,
      headline: item.headline,
      summary: item.summary,
      actors: item.actors,
      answers: item.answers,
      foundLate: item.foundLate || undefined,
      sources: item.sources,
    })),
    status: digest.status,
    timeline: digest.timeline.map(({ week, count }) => ({ week, count })),
    coverage: digest.coverage,
  });
}
