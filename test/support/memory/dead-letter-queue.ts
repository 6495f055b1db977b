import type { DeadLetter, DeadLetterQueue } from '../../../lambdas/core/ports/dead-letter-queue.js';
import type { FetchQueue, FetchRequest } from '../../../lambdas/core/ports/fetch-queue.js';

/** The fetch DLQ in memory: `held` messages; replay enqueues their requests and empties it. */
export class MemoryDeadLetterQueue implements DeadLetterQueue {
  constructor(
    readonly held: DeadLetter[] = [],
    private readonly queue?: FetchQueue,
  ) {}

  async list(): Promise<DeadLetter[]> {
    return [...this.held];
  }

  async replay(): Promise<DeadLetter[]> {
    const replayed = this.held.splice(0);
    await this.queue?.enqueue(replayed.map((letter) => JSON.parse(letter.body) as FetchRequest));
    return replayed;
  }
}
