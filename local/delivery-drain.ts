import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { DeliverOutcome } from '../lambdas/core/6-digest/deliver-batch.js';
import type { DeliverResult } from '../lambdas/handlers/deliver.js';
import { sqsEventOf } from './sqs-event.js';

/** Concurrent sender invocations the stack's event source allows (its maxConcurrency). */
export const SENDER_CONCURRENCY = 5;
/** The sender's timeout in the stack: each local invocation gets this much time. */
export const SENDER_TIMEOUT_MS = 3 * 60_000;

export interface DeliveryDrainResult {
  /** Batches handled (each receive of a message counts once). */
  readonly batches: number;
  /** Batches whose handling failed: left for SQS to deliver again. */
  readonly failedBatches: number;
  readonly sent: string[];
  readonly alreadySent: string[];
  readonly suppressed: string[];
  /** Readers set aside in the delivery DLQ, with why. */
  readonly setAside: Record<string, string>;
  /** Readers queued again by a sender (each time it happened). */
  readonly requeued: number;
  readonly throttled: number;
  /** The longest single invocation (one batch), ms: how close a sender came to its timeout. */
  readonly longestInvocationMs: number;
  /** How many readers each list would hold (the lists stay empty with `countOnly`). */
  readonly counts: { sent: number; alreadySent: number; suppressed: number; setAside: number };
}

type Sender = (
  event: ReturnType<typeof sqsEventOf>,
  context: { getRemainingTimeInMillis(): number },
) => Promise<DeliverResult>;

/**
 * Plays Lambda's SQS event source on the delivery queue: `pollers` concurrent invocations, one
 * message (one batch of readers) each, deleted when the sender succeeded, made visible again
 * after `retryDelayMs` when it failed (the queue's redrive policy sets it aside after its fifth
 * receive). Returns once no message is left: visible, in flight or delayed (a batch re-queued
 * by a sender waits its back-off delay first).
 */
export async function drainDeliveryQueue(
  sqs: SQSClient,
  queueUrl: string,
  sender: Sender,
  options: {
    readonly pollers?: number;
    readonly retryDelayMs?: number;
    /** Keep counts only, no address: a long drain then holds nothing per reader. */
    readonly countOnly?: boolean;
  } = {},
): Promise<DeliveryDrainResult> {
  const result: DeliveryDrainResult = {
    batches: 0,
    failedBatches: 0,
    sent: [],
    alreadySent: [],
    suppressed: [],
    setAside: {},
    requeued: 0,
    throttled: 0,
    longestInvocationMs: 0,
    counts: { sent: 0, alreadySent: 0, suppressed: 0, setAside: 0 },
  };
  const add = (outcome: DeliverOutcome) => {
    result.counts.sent += outcome.sent.length;
    result.counts.alreadySent += outcome.alreadySent.length;
    result.counts.suppressed += outcome.suppressed.length;
    if (outcome.setAside) result.counts.setAside += Object.keys(outcome.unreached).length;
    if (!options.countOnly) {
      result.sent.push(...outcome.sent);
      result.alreadySent.push(...outcome.alreadySent);
      result.suppressed.push(...outcome.suppressed);
      if (outcome.setAside) Object.assign(result.setAside, outcome.unreached);
    }
    if (!outcome.setAside)
      (result as { requeued: number }).requeued += Object.keys(outcome.unreached).length;
    (result as { throttled: number }).throttled += outcome.throttled;
  };
  const left = async () => {
    const { Attributes = {} } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: queueUrl,
        AttributeNames: [
          'ApproximateNumberOfMessages',
          'ApproximateNumberOfMessagesNotVisible',
          'ApproximateNumberOfMessagesDelayed',
        ],
      }),
    );
    return Object.values(Attributes).reduce((sum, value) => sum + Number(value ?? 0), 0);
  };
  const poll = async (): Promise<void> => {
    for (;;) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: 1,
          MessageSystemAttributeNames: ['All'],
        }),
      );
      const [message] = Messages;
      if (!message) {
        if ((await left()) === 0) return;
        await new Promise((resolve) => setTimeout(resolve, 50));
        continue;
      }
      const started = Date.now();
      (result as { batches: number }).batches += 1;
      let failed: boolean;
      try {
        const response = await sender(sqsEventOf([message]), {
          getRemainingTimeInMillis: () => SENDER_TIMEOUT_MS - (Date.now() - started),
        });
        for (const outcome of response.outcomes) add(outcome);
        failed = response.batchItemFailures.length > 0;
      } catch {
        failed = true; // the invocation itself failed: SQS delivers the message again
      }
      const took = Date.now() - started;
      if (took > result.longestInvocationMs)
        (result as { longestInvocationMs: number }).longestInvocationMs = took;
      if (failed) {
        (result as { failedBatches: number }).failedBatches += 1;
        await sqs.send(
          new ChangeMessageVisibilityCommand({
            QueueUrl: queueUrl,
            ReceiptHandle: message.ReceiptHandle ?? '',
            VisibilityTimeout: Math.ceil((options.retryDelayMs ?? 0) / 1000),
          }),
        );
      } else {
        await sqs.send(
          new DeleteMessageCommand({
            QueueUrl: queueUrl,
            ReceiptHandle: message.ReceiptHandle ?? '',
          }),
        );
      }
    }
  };
  await Promise.all(
    Array.from({ length: Math.max(1, options.pollers ?? SENDER_CONCURRENCY) }, poll),
  );
  return result;
}
