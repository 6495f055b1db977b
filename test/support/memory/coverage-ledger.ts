import type { ArticleCounts, ArticleOutcome } from '../../../lambdas/core/6-digest/coverage.js';
import type { CoverageLedger } from '../../../lambdas/core/ports/coverage-ledger.js';

export class MemoryCoverageLedger implements CoverageLedger {
  private readonly counted = new Set<string>();
  private readonly weeks = new Map<string, Partial<Record<ArticleOutcome, number>>>();

  async countArticle(
    storyId: string,
    week: string,
    outcome: ArticleOutcome,
    articleId: string,
  ): Promise<void> {
    if (this.counted.has(`${storyId}#${articleId}`)) return;
    this.counted.add(`${storyId}#${articleId}`);
    const counts = this.weeks.get(`${storyId}#${week}`) ?? {};
    counts[outcome] = (counts[outcome] ?? 0) + 1;
    this.weeks.set(`${storyId}#${week}`, counts);
  }

  async articleCounts(storyId: string, week: string): Promise<ArticleCounts> {
    return { ...this.weeks.get(`${storyId}#${week}`) };
  }
}
