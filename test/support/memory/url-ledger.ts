import type { FetchRequest } from '../../../lambdas/core/ports/fetch-queue.js';
import type { UrlLedger } from '../../../lambdas/core/ports/url-ledger.js';

/** The UrlLedger in memory, with the DynamoDB adapter's rule: a claim is granted again to its own request. */
export class MemoryUrlLedger implements UrlLedger {
  /** Claimed URLs with the request that claimed them. */
  readonly claims = new Map<string, FetchRequest & { readonly claim: string }>();
  /** Permanent failures' reasons, by URL. */
  readonly marked = new Map<string, string>();

  constructor(known: readonly string[] = []) {
    for (const url of known) {
      this.claims.set(url, { storyId: '', sourceId: '', url, firstSeenAt: '', claim: 'known' });
    }
  }

  async claimUrl(request: FetchRequest, foundAt: string = request.url): Promise<boolean> {
    const claim = `${request.sourceId} ${request.firstSeenAt} ${foundAt}`;
    const held = this.claims.get(request.url);
    if (held && held.claim !== claim) return false;
    this.claims.set(request.url, { ...request, claim });
    return true;
  }

  async isKnownUrl(url: string): Promise<boolean> {
    return this.claims.has(url);
  }

  async markUrl(url: string, _status: 'skipped', reason: string): Promise<void> {
    this.marked.set(url, reason);
  }

  async releaseUrl(url: string): Promise<void> {
    this.claims.delete(url);
  }
}
