import type { Article } from '../model/records.js';

/** Clean articles with their text, as the extractor read them. */
export interface ArticleArchive {
  /** Returns the key the article is kept under. */
  putArticle(article: Article): Promise<string>;
  /** Forgets an article no longer on the story; nothing happens when there is none. */
  removeArticle(articleId: string): Promise<void>;
}
