import type { Fingerprint } from '../5-cluster/near-duplicates.js';
import type { Article } from '../model/records.js';

/** An article as the table keeps it: everything but its text. */
export type StoredArticle = Omit<Article, 'text'>;

/** The stored articles' metadata (their text and events are archived) and fingerprints. */
export interface ArticleStore {
  putArticle(article: Article): Promise<void>;
  /** The article's stored metadata (its text is archived), if it was stored. */
  getArticle(articleId: string): Promise<StoredArticle | undefined>;
  /**
   * Removes what storing the article wrote here: its fingerprint, then its metadata (last: it is
   * what tells a later retraction that there is something to retract).
   */
  removeArticle(article: StoredArticle): Promise<void>;
  /** Keeps an article's near-duplicate fingerprint, indexed by its publication time. */
  putFingerprint(storyId: string, fingerprint: Fingerprint): Promise<void>;
  /** Fingerprints of the story's articles published in [from, to]. */
  fingerprintsBetween(storyId: string, from: string, to: string): Promise<Fingerprint[]>;
}
