import type { ArticleCounts, ArticleOutcome } from '../../../lambdas/core/6-digest/coverage.js';
import type { CoverageLedger } from '../../../lambdas/core/ports/coverage-ledger.js';

export class MemoryCoverageLedger implements CoverageLedger {
  /** Each counted article's week and outcome. */
  private readonly counted = new Map<string, { week: string; outcome: ArticleOutcome }>();
  private readonly weeks = new Map<string, Partial<Record<ArticleOutcome, number>>>();

  async countArticle(
    storyId: string,
    week: string,
    outcome: ArticleOutcome,
    articleId: string,
  ): Promise<void> {
    if (this.counted.has(`${storyId}#${articleId}`)) return;
    this.counted.set(`${storyId}#${articleId}`, { week, outcome });
    this.add(storyId, week, outcome, 1);
  }

  async recountArticle(
    storyId: string,
    week: string,
    outcome: ArticleOutcome,
    articleId: string,
  ): Promise<void> {
    const mark = this.counted.get(`${storyId}#${articleId}`);
    if (!mark) return this.countArticle(storyId, week, outcome, articleId);
    this.counted.set(`${storyId}#${articleId}`, { week, outcome });
    this.add(storyId, mark.week, mark.outcome, -1);
    this.add(storyId, week, outcome, 1);
  }

  private add(storyId: string, week: string, outcome: ArticleOutcome, change: number): void {
    const counts = this.weeks.get(`${storyId}#${week}`) ?? {};
    const count = (counts[outcome] ?? 0) + change;
    if (count) counts[outcome] = count;
    else delete counts[outcome];
    this.weeks.set(`${storyId}#${week}`, counts);
  }

  async articleCounts(storyId: string, week: string): Promise<ArticleCounts> {
    return { ...this.weeks.get(`${storyId}#${week}`) };
  }
}
