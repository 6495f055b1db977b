import type { Fingerprint } from '../5-cluster/near-duplicates.js';
import type { Article, StoryEvent } from '../model/records.js';

/** The stored articles' metadata (their text is archived), their events and fingerprints. */
export interface ArticleStore {
  putArticle(article: Article): Promise<void>;
  /** Replaces every event of the article (re-extraction never duplicates). */
  replaceEvents(articleId: string, events: readonly StoryEvent[]): Promise<void>;
  /** Keeps an article's near-duplicate fingerprint, indexed by its publication time. */
  putFingerprint(storyId: string, fingerprint: Fingerprint): Promise<void>;
  /** Fingerprints of the story's articles published in [from, to]. */
  fingerprintsBetween(storyId: string, from: string, to: string): Promise<Fingerprint[]>;
}
