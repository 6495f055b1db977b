import * as z from '../model/zod.js';

/** Readers per delivery batch: one queue message, one sender invocation. */
export const DELIVERY_BATCH_SIZE = 50;

/**
 * One unit of delivery: a week's digest to these readers. The digest run queues them; a sender
 * takes one at a time; readers it could not reach go on in a new, smaller batch (`attempt` + 1),
 * or to the DLQ with `reasons` once the attempts are spent.
 */
export const deliveryBatchSchema = z.strictObject({
  storyId: z.string().check(z.minLength(1)),
  week: z.string().check(z.regex(/^\d{4}-W\d{2}$/)),
  recipients: z.array(z.string()).check(z.minLength(1), z.maxLength(DELIVERY_BATCH_SIZE)),
  /** 1 for a batch the digest run queued; one more for each re-queue of unreached readers. */
  attempt: z.int().check(z.minimum(1)),
  /** With a batch set aside: why each reader was not reached. */
  reasons: z.optional(z.record(z.string(), z.string())),
});

export type DeliveryBatch = Readonly<z.infer<typeof deliveryBatchSchema>>;

export interface DeliveryQueue {
  /** Queues batches for the senders. */
  enqueue(batches: readonly DeliveryBatch[]): Promise<void>;
  /** Queues a batch again, visible after `delaySeconds` (at most 900, SQS's limit). */
  retry(batch: DeliveryBatch, delaySeconds: number): Promise<void>;
  /** Sets a batch aside in the dead-letter queue, for an operator: its readers were not reached. */
  setAside(batch: DeliveryBatch): Promise<void>;
}
