import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { StoryDigestError } from '../core/model/errors.js';
import type { FetchQueue, FetchRequest } from '../core/ports/fetch-queue.js';

// The regional endpoint (or AWS_ENDPOINT_URL_SQS) serves every queue of the account; queue URLs
// of local emulators carry hosts such as sqs.us-east-1.localhost that do not resolve.
const sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
const BATCH = 10; // SQS's limit per SendMessageBatch

export class SqsFetchQueue implements FetchQueue {
  constructor(private readonly queueUrl: string) {}

  async enqueue(requests: readonly FetchRequest[]): Promise<void> {
    for (let start = 0; start < requests.length; start += BATCH) {
      const batch = requests.slice(start, start + BATCH);
      const result = await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: batch.map((request, index) => ({
            Id: String(index),
            MessageBody: JSON.stringify(request),
          })),
        }),
      );
      const failed = result.Failed ?? [];
      if (failed.length) {
        const urls = failed.map((entry) => batch[Number(entry.Id)]?.url).join(', ');
        throw new StoryDigestError(
          `fetch queue refused ${failed.length} message(s): ${urls} (${failed[0]?.Message})`,
        );
      }
    }
  }
}
