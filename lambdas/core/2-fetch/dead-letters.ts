import type { DeadLetter, DeadLetterQueue } from '../ports/dead-letter-queue.js';
import type { FetchFailures } from '../ports/fetch-failures.js';
import { fetchRequestSchema } from '../ports/fetch-queue.js';

export interface DeadLetterDeps {
  readonly deadLetters: DeadLetterQueue;
  readonly failures: Pick<FetchFailures, 'lastFailure'>;
}

/** A message of the fetch DLQ, with what it asked for and why it failed. */
export interface DeadLetterReport {
  readonly messageId: string;
  /** The fetch request's URL and source; absent when the body is not a fetch request. */
  readonly url?: string;
  readonly sourceId?: string;
  readonly receives: number;
  readonly sentAt?: string;
  /**
   * Why its last attempt failed, as the fetcher recorded it. Absent when nothing was recorded:
   * the invocation itself died (a timeout, out of memory) or the body is not a fetch request.
   */
  readonly reason?: string;
  readonly failedAt?: string;
  /** Failed attempts recorded for the URL. */
  readonly attempts?: number;
  /** The body itself when it is not a fetch request. */
  readonly body?: string;
}

/** What the fetch DLQ holds, each message with the reason its last attempt failed. */
export async function listDeadLetters(deps: DeadLetterDeps): Promise<DeadLetterReport[]> {
  return explain(await deps.deadLetters.list(), deps);
}

/**
 * Sends every message of the fetch DLQ back to the fetch queue (each gets its receives anew) and
 * reports them with the reason they had failed. Their URLs stay claimed: a replayed message is
 * the same request, so the fetcher's own claims recognise it.
 */
export async function replayDeadLetters(deps: DeadLetterDeps): Promise<DeadLetterReport[]> {
  return explain(await deps.deadLetters.replay(), deps);
}

async function explain(
  letters: readonly DeadLetter[],
  deps: DeadLetterDeps,
): Promise<DeadLetterReport[]> {
  return Promise.all(
    letters.map(async (letter): Promise<DeadLetterReport> => {
      const base = {
        messageId: letter.messageId,
        receives: letter.receiveCount,
        ...(letter.sentAt ? { sentAt: letter.sentAt } : {}),
      };
      const request = parseRequest(letter.body);
      if (!request) return { ...base, body: letter.body };
      const failure = await deps.failures.lastFailure(request.url);
      return {
        ...base,
        url: request.url,
        sourceId: request.sourceId,
        ...(failure
          ? { reason: failure.reason, failedAt: failure.failedAt, attempts: failure.attempts }
          : {}),
      };
    }),
  );
}

function parseRequest(body: string) {
  try {
    const parsed = fetchRequestSchema.safeParse(JSON.parse(body));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
