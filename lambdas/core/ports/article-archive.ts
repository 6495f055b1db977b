import type { Article } from '../model/records.js';

/** Clean articles with their text, as the extractor read them. */
export interface ArticleArchive {
  /** Returns the key the article is kept under. */
  putArticle(article: Article): Promise<string>;
}
