import {
  type Fingerprint,
  fingerprintTime,
} from '../../../lambdas/core/5-cluster/near-duplicates.js';
import type { Article } from '../../../lambdas/core/model/records.js';
import type { ArticleStore, StoredArticle } from '../../../lambdas/core/ports/article-store.js';

export class MemoryArticleStore implements ArticleStore {
  /** Metadata by article id (the text, as in the table, is not kept). */
  readonly articles = new Map<string, Omit<Article, 'text'>>();
  /** By story, in the table's order: publication time, then article id. */
  private readonly fingerprints = new Map<string, Map<string, Fingerprint>>();

  async putArticle(article: Article): Promise<void> {
    const { text: _text, ...metadata } = article;
    this.articles.set(article.id, metadata);
  }

  async getArticle(articleId: string): Promise<StoredArticle | undefined> {
    return this.articles.get(articleId);
  }

  async removeArticle(article: StoredArticle): Promise<void> {
    this.fingerprints.get(article.storyId)?.delete(`${fingerprintTime(article)}#${article.id}`);
    this.articles.delete(article.id);
  }

  async putFingerprint(storyId: string, fingerprint: Fingerprint): Promise<void> {
    const story = this.fingerprints.get(storyId) ?? new Map<string, Fingerprint>();
    story.set(`${fingerprint.publishedAt}#${fingerprint.articleId}`, fingerprint);
    this.fingerprints.set(storyId, story);
  }

  async fingerprintsBetween(storyId: string, from: string, to: string): Promise<Fingerprint[]> {
    return [...(this.fingerprints.get(storyId) ?? new Map<string, Fingerprint>())]
      .filter(([key]) => key >= from && key <= `${to}$`)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([, fingerprint]) => fingerprint);
  }
}
