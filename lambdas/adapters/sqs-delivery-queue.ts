import { SendMessageBatchCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { StoryDigestError } from '../core/model/errors.js';
import type { DeliveryBatch, DeliveryQueue } from '../core/ports/delivery-queue.js';

// The regional endpoint (or AWS_ENDPOINT_URL_SQS) serves every queue of the account; queue URLs
// of local emulators carry hosts such as sqs.us-east-1.localhost that do not resolve.
const sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
const BATCH = 10; // SQS's limit per SendMessageBatch

/** The delivery queue the senders consume, and its DLQ for readers that could not be reached. */
export class SqsDeliveryQueue implements DeliveryQueue {
  constructor(
    private readonly queueUrl: string,
    private readonly dlqUrl?: string,
  ) {}

  async enqueue(batches: readonly DeliveryBatch[]): Promise<void> {
    for (let start = 0; start < batches.length; start += BATCH) {
      const chunk = batches.slice(start, start + BATCH);
      const result = await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: chunk.map((batch, index) => ({
            Id: String(index),
            MessageBody: JSON.stringify(batch),
          })),
        }),
      );
      const failed = result.Failed ?? [];
      if (failed.length) {
        throw new StoryDigestError(
          `delivery queue refused ${failed.length} batch(es) (${failed[0]?.Message})`,
        );
      }
    }
  }

  async retry(batch: DeliveryBatch, delaySeconds: number): Promise<void> {
    await this.send(this.queueUrl, batch, Math.max(0, Math.min(900, Math.round(delaySeconds))));
  }

  async setAside(batch: DeliveryBatch): Promise<void> {
    if (!this.dlqUrl) throw new StoryDigestError('no delivery DLQ configured (DELIVERY_DLQ_URL)');
    await this.send(this.dlqUrl, batch, 0);
  }

  private async send(queueUrl: string, batch: DeliveryBatch, delaySeconds: number) {
    try {
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: queueUrl,
          MessageBody: JSON.stringify(batch),
          DelaySeconds: delaySeconds,
        }),
      );
    } catch (error) {
      throw new StoryDigestError(
        `digest ${batch.week}: ${batch.recipients.length} reader(s) could not be queued again`,
        { cause: error },
      );
    }
  }
}
