import type { RequestQuota } from '../../../lambdas/core/ports/request-quota.js';

/** The RequestQuota in memory: counts per story, source and window, as the DynamoDB adapter. */
export class MemoryRequestQuota implements RequestQuota {
  readonly counts = new Map<string, number>();

  async admit(
    storyId: string,
    source: string,
    window: { readonly start: string; readonly end: string },
    limit: number,
  ): Promise<boolean> {
    const key = `${storyId}#${window.start}#${source}`;
    const count = this.counts.get(key) ?? 0;
    if (count >= limit) return false;
    this.counts.set(key, count + 1);
    return true;
  }
}
