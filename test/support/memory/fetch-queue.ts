import type { FetchQueue, FetchRequest } from '../../../lambdas/core/ports/fetch-queue.js';

/** The fetch queue in memory: what was sent, in order; `refuse` makes the next enqueue fail. */
export class MemoryFetchQueue implements FetchQueue {
  readonly sent: FetchRequest[] = [];
  refuse: Error | undefined;

  async enqueue(requests: readonly FetchRequest[]): Promise<void> {
    if (this.refuse) throw this.refuse;
    this.sent.push(...requests);
  }
}
