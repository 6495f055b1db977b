import type { Article, StoryEvent } from '../model/records.js';

/** A clean article as archived: its text, as the extractor read it, and the events it found. */
export interface ArchivedArticle extends Article {
  readonly events: readonly StoryEvent[];
}

/**
 * Clean articles with their text and events. The events are kept here, not in the table: they
 * are read only by people and re-processing, never by the digest (which reads developments), so
 * an item per event would be write cost without a reader.
 */
export interface ArticleArchive {
  /** Keeps the article with its events, replacing any earlier copy; returns its key. */
  putArticle(article: Article, events: readonly StoryEvent[]): Promise<string>;
  /** Forgets an article no longer on the story; nothing happens when there is none. */
  removeArticle(articleId: string): Promise<void>;
}
