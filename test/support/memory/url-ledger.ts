import type { FetchRequest } from '../../../lambdas/core/ports/fetch-queue.js';
import type { UrlClaimOptions, UrlLedger } from '../../../lambdas/core/ports/url-ledger.js';

type Claim = FetchRequest & { readonly claim: string; readonly pendingUntil?: string };

/**
 * The UrlLedger in memory, with the DynamoDB adapter's rules: a claim is granted again to its own
 * request, and a pending claim is taken over by a request that found the URL after its lease.
 */
export class MemoryUrlLedger implements UrlLedger {
  /** Claimed URLs with the request that claimed them. */
  readonly claims = new Map<string, Claim>();
  /** Permanent failures' reasons, by URL. */
  readonly marked = new Map<string, string>();

  constructor(known: readonly string[] = []) {
    for (const url of known) {
      this.claims.set(url, { storyId: '', sourceId: '', url, firstSeenAt: '', claim: 'known' });
    }
  }

  async claimUrl(request: FetchRequest, options: UrlClaimOptions = {}): Promise<boolean> {
    const claim = claimOf(request, options.foundAt);
    const held = this.claims.get(request.url);
    if (held && held.claim !== claim && !leaseEnded(held, request)) return false;
    this.claims.set(request.url, {
      ...request,
      claim,
      ...(options.leaseUntil ? { pendingUntil: options.leaseUntil } : {}),
    });
    return true;
  }

  async confirmUrls(requests: readonly FetchRequest[]): Promise<void> {
    for (const request of requests) {
      const held = this.claims.get(request.url);
      if (held?.claim !== claimOf(request)) continue;
      const { pendingUntil: _pending, ...confirmed } = held;
      this.claims.set(request.url, confirmed);
    }
  }

  async isKnownUrl(request: FetchRequest): Promise<boolean> {
    const held = this.claims.get(request.url);
    return held !== undefined && !leaseEnded(held, request);
  }

  async markUrl(url: string, _status: 'skipped', reason: string): Promise<void> {
    this.marked.set(url, reason);
  }

  async releaseUrl(request: FetchRequest): Promise<void> {
    const held = this.claims.get(request.url);
    if (held?.claim === claimOf(request) && held.pendingUntil !== undefined) {
      this.claims.delete(request.url);
    }
  }

  /** URLs whose claim is still pending (claimed, never confirmed). */
  pending(): string[] {
    return [...this.claims.values()]
      .filter((held) => held.pendingUntil !== undefined)
      .map((held) => held.url);
  }
}

function claimOf(request: FetchRequest, foundAt: string = request.url): string {
  return `${request.sourceId} ${request.firstSeenAt} ${foundAt}`;
}

function leaseEnded(held: Claim, request: FetchRequest): boolean {
  return held.pendingUntil !== undefined && held.pendingUntil < request.firstSeenAt;
}
