import { createHash } from 'node:crypto';
import type { DatePrecision } from '../model/date-span.js';
import type {
  Article,
  Development,
  DevelopmentSource,
  EventType,
  StoryEvent,
} from '../model/records.js';

/** Speech acts are told apart by who spoke; other happenings by what and when. */
const SPEECH_ACTS: ReadonlySet<EventType> = new Set(['STATEMENT', 'DENIAL', 'WARNING_THREAT']);

/** A development as one article reports it: merged with other reports by `id`. */
export interface DevelopmentReport {
  readonly development: Omit<Development, 'sources'>;
  readonly source: DevelopmentSource;
}

/**
 * The developments an article reports: its main and new events with a date, one per happening
 * (several sentences about the same happening give one report). The id depends only on what
 * happened, so every outlet's report of it lands on the same development.
 */
export function developmentReports(
  storyId: string,
  article: Pick<Article, 'id' | 'url' | 'outlet' | 'title' | 'publishedAt' | 'firstSeenAt'>,
  events: readonly StoryEvent[],
): DevelopmentReport[] {
  const reports = new Map<string, DevelopmentReport>();
  const main = events.find((event) => event.role === 'main');
  for (const event of events) {
    if ((event.role !== 'main' && event.role !== 'new') || !event.date || !event.precision) {
      continue;
    }
    if (main && event !== main && isPartOfMain(event, main)) continue;
    const id = developmentId(storyId, event.type, event.date, speakerOf(event));
    if (reports.has(id)) continue;
    reports.set(id, {
      development: {
        id,
        storyId,
        type: event.type,
        date: event.date,
        precision: event.precision as DatePrecision,
        actors: event.actors,
        people: event.people,
        systems: event.systems,
        amount: event.amount ?? undefined,
        summary: event.evidence,
        firstReportedAt: article.publishedAt ?? article.firstSeenAt,
      },
      source: {
        articleId: article.id,
        url: article.url,
        outlet: article.outlet,
        title: article.title,
        publishedAt: article.publishedAt,
        seenAt: article.firstSeenAt,
        aboutIt: event === main,
      },
    });
  }
  return [...reports.values()];
}

/**
 * Orders the reports of one development: the earliest published report gives its week and its
 * wording, and ties go to the lower article id, so the outcome does not depend on which report
 * was fetched (or retried) first. Compared as strings.
 */
export function earliestReportKey({ development, source }: DevelopmentReport): string {
  return `${development.firstReportedAt}#${source.articleId}`;
}

/**
 * The quotes and details an article gives around its main happening, on the same day, are that
 * happening, not further developments.
 */
function isPartOfMain(event: StoryEvent, main: StoryEvent): boolean {
  return event.date === main.date;
}

function speakerOf(event: StoryEvent): string {
  return SPEECH_ACTS.has(event.type) ? (event.people[0] ?? event.actors[0] ?? '') : '';
}

export function developmentId(
  storyId: string,
  type: EventType,
  date: string,
  speaker: string,
): string {
  return createHash('sha256')
    .update([storyId, type, date, speaker].join('|'))
    .digest('hex')
    .slice(0, 20);
}

/** A development in one line: the title of an article about it, else the sentence that told it. */
export function headlineOf(development: Pick<Development, 'sources' | 'summary'>): string {
  const about = development.sources
    .filter((source) => source.aboutIt)
    .sort((a, b) => (a.publishedAt ?? '').localeCompare(b.publishedAt ?? ''))[0];
  return about?.title ?? development.summary;
}
