import type { ArticleCounts, ArticleOutcome } from '../6-digest/coverage.js';

/** What became of the articles read each week, for the digest's coverage report. */
export interface CoverageLedger {
  /**
   * Counts a fetched article's outcome in the week (story time) it was read: once per article
   * id, however often its message is retried or delivered.
   */
  countArticle(
    storyId: string,
    week: string,
    outcome: ArticleOutcome,
    articleId: string,
  ): Promise<void>;
  /**
   * Re-processing's verdict on an article: its count moves to this outcome and week (counted
   * now if it never was), so a week's counts are what a fresh run with today's extractor makes.
   */
  recountArticle(
    storyId: string,
    week: string,
    outcome: ArticleOutcome,
    articleId: string,
  ): Promise<void>;
  articleCounts(storyId: string, week: string): Promise<ArticleCounts>;
}
