import { createHash } from 'node:crypto';
import type { DatePrecision } from '../model/date-span.js';
import type { Article, Development, DevelopmentSource, StoryEvent } from '../model/records.js';

/** A development as one article reports it (a mention): clustered with other reports when read. */
export interface DevelopmentReport {
  readonly development: Omit<Development, 'sources'>;
  readonly source: DevelopmentSource;
}

/**
 * The development an article reports: its main happening, when it has a dated one. Other
 * happenings an article mentions in passing are some other article's news: they do not make a
 * development of their own. The id is the article's, so re-processing replaces its report.
 */
export function articleMention(
  storyId: string,
  article: Pick<Article, 'id' | 'url' | 'outlet' | 'title' | 'publishedAt' | 'firstSeenAt'>,
  events: readonly StoryEvent[],
): DevelopmentReport | undefined {
  const main = events.find((event) => event.role === 'main');
  if (!main?.date || !main.precision) return undefined;
  return {
    development: {
      id: mentionId(storyId, article.url),
      storyId,
      type: main.type,
      date: main.date,
      precision: main.precision as DatePrecision,
      actors: main.actors,
      people: main.people,
      systems: main.systems,
      amount: main.amount ?? undefined,
      summary: main.evidence,
      datedBy: main.datedBy,
      firstReportedAt: article.publishedAt ?? article.firstSeenAt,
    },
    source: {
      articleId: article.id,
      url: article.url,
      outlet: article.outlet,
      title: article.title,
      publishedAt: article.publishedAt,
      seenAt: article.firstSeenAt,
      aboutIt: true,
    },
  };
}

/**
 * A mention's id: one per article of the story (by its canonical URL, whichever copy of the page
 * it was fetched through), whatever it reports, so re-processing replaces it.
 */
export function mentionId(storyId: string, canonicalUrl: string): string {
  return createHash('sha256').update(`${storyId}|${canonicalUrl}`).digest('hex').slice(0, 20);
}

/** A development in one line: the title of an article about it, else the sentence that told it. */
export function headlineOf(development: Pick<Development, 'sources' | 'summary'>): string {
  const about = development.sources
    .filter((source) => source.aboutIt)
    .sort((a, b) => (a.publishedAt ?? '').localeCompare(b.publishedAt ?? ''))[0];
  return about?.title ?? development.summary;
}
