import type { EventExtractor } from '../4-extract/events.js';
import { EXTRACTOR_VERSION } from '../4-extract/extractor-version.js';
import { foldText } from '../4-extract/fold-text.js';
import { detectLanguage } from '../4-extract/language.js';
import type { RelevanceFilter } from '../4-extract/relevance.js';
import { articleMention } from '../5-cluster/developments.js';
import { fingerprintOf } from '../5-cluster/near-duplicates.js';
import type { Article } from '../model/records.js';
import type { Story } from '../model/story.js';
import type { ArticleArchive } from '../ports/article-archive.js';
import type { ArticleStore } from '../ports/article-store.js';
import type { DevelopmentStore } from '../ports/development-store.js';
import type { Log } from '../ports/log.js';
import type { UrlLedger } from '../ports/url-ledger.js';
import { type RetractionDeps, retractArticle } from './retract-article.js';

/** What the story needs compiled once per process, not per article. */
export interface StoryAnalysis {
  readonly story: Story;
  readonly relevance: RelevanceFilter;
  readonly extractor: EventExtractor;
}

/** What cleaning and analysing an article writes to (fetching and re-processing). */
export interface AnalysisDeps {
  /** For the page's canonical URL: an article found under two URLs is stored once. */
  readonly seenUrls: Pick<UrlLedger, 'claimUrl' | 'markUrl'>;
  readonly articleArchive: Pick<ArticleArchive, 'putArticle'>;
  readonly articles: Pick<ArticleStore, 'putArticle' | 'putFingerprint'>;
  readonly developments: Pick<DevelopmentStore, 'recordDevelopment'>;
  readonly log: Log;
  /** Milliseconds of a monotonic clock, for the page's processing budget; performance.now by default. */
  readonly clock?: () => number;
}

/** A cleaned article, before it is judged and analysed. */
export type CleanArticle = Omit<Article, 'relevance' | 'extractorVersion'>;

export type AnalysisOutcome =
  | {
      /** `not-understood`: kept, but no happening could be told from it (`reason` says why). */
      readonly status: 'stored' | 'not-understood';
      readonly articleId: string;
      readonly events: number;
      readonly developments: number;
      /** Of `developments`, those this article reported first. */
      readonly developmentsCreated: number;
      readonly publishedAt: string | undefined;
      readonly reason?: string;
    }
  | {
      readonly status: 'off-story';
      readonly articleId: string;
      readonly reason: string;
      readonly publishedAt: string | undefined;
    };

export interface AnalysisOptions {
  /** False for a dry run: the outcome tells what would be stored; nothing is written. */
  readonly write?: boolean;
  /**
   * Re-processing: what the article contributed before (by an older extractor) is withdrawn
   * through these first, so the store holds what today's extractor says and nothing else.
   */
  readonly replacing?: RetractionDeps;
}

/**
 * Judges a clean article against the story and, when it is on it, stores it with its events and
 * the developments it reports. `write: false` (a dry run) works out the same outcome and writes
 * nothing.
 */
export async function analyseArticle(
  cleaned: CleanArticle,
  analysis: StoryAnalysis,
  deps: AnalysisDeps,
  options: AnalysisOptions = {},
): Promise<AnalysisOutcome> {
  const { id, publishedAt } = cleaned;
  // Read as plain text: look-alike letters, compatibility forms, odd spaces and quotes folded;
  // in the language its own words are in (a page's declared language is often its site's).
  const title = foldText(cleaned.title);
  const text = foldText(cleaned.text);
  const lang = detectLanguage(`${title}\n${text}`) ?? cleaned.lang;
  const judged = analysis.relevance.judge({ title, text });
  if (!judged.relevant) {
    deps.log.info('article off the story', {
      url: cleaned.url,
      articleId: id,
      reason: judged.reason,
    });
    if (options.replacing && options.write !== false) {
      const retracted = await retractArticle(id, options.replacing, { archived: 'remove' });
      if (retracted) deps.log.info('article retracted', { url: cleaned.url, articleId: id });
    }
    return { status: 'off-story', articleId: id, reason: judged.reason, publishedAt };
  }
  const article: Article = {
    ...cleaned,
    title,
    text,
    lang,
    relevance: { score: judged.score, reason: judged.reason },
    extractorVersion: EXTRACTOR_VERSION,
  };
  const events = analysis.extractor.extract(article);
  const mention = articleMention(analysis.story.id, article, events);
  const reports = mention ? [mention] : [];
  const status = mention ? 'stored' : 'not-understood';
  const reason = mention ? undefined : analysis.extractor.whyNoEvents(article, events);
  const outcome = {
    status,
    reason,
    articleId: id,
    events: events.length,
    developments: reports.length,
    publishedAt,
  } as const;
  if (options.write === false) return { ...outcome, developmentsCreated: 0 };
  // The clean copy is about to be overwritten: only the table's records need withdrawing.
  if (options.replacing) await retractArticle(id, options.replacing, { archived: 'keep' });
  await deps.articleArchive.putArticle(article, events);
  await deps.articles.putArticle(article);
  // Copies are told from originals when the digest is composed, whatever the fetch order.
  await deps.articles.putFingerprint(article.storyId, fingerprintOf(article, events));
  if (reason)
    deps.log.info('no development in the article', { url: article.url, articleId: id, reason });
  let developmentsCreated = 0;
  for (const report of reports) {
    if (!(await deps.developments.recordDevelopment(report))) continue;
    developmentsCreated += 1;
    deps.log.info('development created', {
      developmentId: report.development.id,
      url: article.url,
      articleId: id,
    });
  }
  deps.log.info('article stored', {
    url: article.url,
    articleId: id,
    publishedAt: article.publishedAt,
    events: events.length,
    developments: reports.length,
    developmentsCreated,
  });
  return { ...outcome, developmentsCreated };
}
