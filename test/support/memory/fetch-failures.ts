import type { FetchFailure, FetchFailures } from '../../../lambdas/core/ports/fetch-failures.js';

/** FetchFailures in memory: the last reason per URL and the attempts counted. */
export class MemoryFetchFailures implements FetchFailures {
  readonly failures = new Map<string, FetchFailure>();

  async recordFailure(url: string, reason: string, at: string): Promise<void> {
    const attempts = (this.failures.get(url)?.attempts ?? 0) + 1;
    this.failures.set(url, { reason, failedAt: at, attempts });
  }

  async lastFailure(url: string): Promise<FetchFailure | undefined> {
    return this.failures.get(url);
  }
}
