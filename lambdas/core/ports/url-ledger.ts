import type { FetchRequest } from './fetch-queue.js';

export interface UrlClaimOptions {
  /** Where the request found the URL (a canonical URL's claim names the page); default the URL. */
  readonly foundAt?: string;
  /**
   * Makes the claim pending until `confirmUrls`: a run claims, then queues, then confirms. A
   * pending claim whose lease ended before a later request found the URL belonged to a run that
   * died in between (its invocation's deadline is the lease), and is taken over. Without it the
   * claim is confirmed at once.
   */
  readonly leaseUntil?: string;
}

/** Every URL the story has met, so that each article is fetched once. */
export interface UrlLedger {
  /**
   * Records a URL as seen; false when it was seen before (by any source, in any run), except by
   * this very request (same source and first-seen time, found at the same URL), so a retried or
   * redelivered claim is granted again, and except by a pending claim whose lease had ended when
   * this request found the URL.
   */
  claimUrl(request: FetchRequest, options?: UrlClaimOptions): Promise<boolean>;
  /** Confirms pending claims once their requests are queued; a claim taken over is left alone. */
  confirmUrls(requests: readonly FetchRequest[]): Promise<void>;
  /** Whether the request would find its URL known (a dry run's question): nothing is claimed. */
  isKnownUrl(request: FetchRequest): Promise<boolean>;
  /** Records what became of a claimed URL (a permanent failure's reason, for operators). */
  markUrl(url: string, status: 'skipped', reason: string): Promise<void>;
  /**
   * Undoes this request's pending claim after its fetch request could not be queued, so a later
   * run finds the URL again at once (not only after the lease).
   */
  releaseUrl(request: FetchRequest): Promise<void>;
}
