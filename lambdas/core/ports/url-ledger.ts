import type { FetchRequest } from './fetch-queue.js';

/** Every URL the story has met, so that each article is fetched once. */
export interface UrlLedger {
  /**
   * Records a URL as seen; false when it was seen before (by any source, in any run), except by
   * this very request (same source and first-seen time, found at the same URL: `foundAt`,
   * default the URL itself), so a retried or redelivered claim is granted again.
   */
  claimUrl(request: FetchRequest, foundAt?: string): Promise<boolean>;
  /** Whether a URL was seen before, without claiming it (a dry run's question). */
  isKnownUrl(url: string): Promise<boolean>;
  /** Records what became of a claimed URL (a permanent failure's reason, for operators). */
  markUrl(url: string, status: 'skipped', reason: string): Promise<void>;
  /** Undoes a claim whose fetch request could not be queued, so a later run finds it again. */
  releaseUrl(url: string): Promise<void>;
}
