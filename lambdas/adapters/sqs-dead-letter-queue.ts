import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { StoryDigestError } from '../core/model/errors.js';
import type { DeadLetter, DeadLetterQueue } from '../core/ports/dead-letter-queue.js';

// As in sqs-fetch-queue.ts: the regional endpoint (or AWS_ENDPOINT_URL_SQS) serves every queue.
const sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
const BATCH = 10; // SQS's limit per receive and per batch call
/** Long enough to list or replay a large DLQ; listed messages are made visible again at once. */
const HIDDEN_SECONDS = 300;

/**
 * The fetch DLQ over SQS. SQS has no way to read a queue without receiving it, so listing
 * receives every message (hiding each while it lists) and then makes them all visible again;
 * replaying receives each, sends its body to the fetch queue and deletes it from the DLQ. Long
 * polling (1 s) makes an empty answer mean an empty queue, not an unlucky sample.
 */
export class SqsDeadLetterQueue implements DeadLetterQueue {
  constructor(
    private readonly dlqUrl: string,
    private readonly fetchQueueUrl: string,
  ) {}

  async list(): Promise<DeadLetter[]> {
    const received: Message[] = [];
    try {
      for (let batch = await this.receive(); batch.length; batch = await this.receive()) {
        received.push(...batch);
      }
    } finally {
      for (let start = 0; start < received.length; start += BATCH) {
        await sqs.send(
          new ChangeMessageVisibilityBatchCommand({
            QueueUrl: this.dlqUrl,
            Entries: received.slice(start, start + BATCH).map((message, index) => ({
              Id: String(index),
              ReceiptHandle: message.ReceiptHandle ?? '',
              VisibilityTimeout: 0,
            })),
          }),
        );
      }
    }
    return received.map(deadLetterOf);
  }

  async replay(): Promise<DeadLetter[]> {
    const replayed: DeadLetter[] = [];
    for (let batch = await this.receive(); batch.length; batch = await this.receive()) {
      const sent = await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: this.fetchQueueUrl,
          Entries: batch.map((message, index) => ({
            Id: String(index),
            MessageBody: message.Body ?? '',
          })),
        }),
      );
      if (sent.Failed?.length) {
        throw new StoryDigestError(
          `fetch queue refused ${sent.Failed.length} replayed message(s) (${sent.Failed[0]?.Message}); they stay in the DLQ`,
        );
      }
      // Deleted only once the fetch queue has them: a failure here replays them twice, never zero times.
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: this.dlqUrl,
          Entries: batch.map((message, index) => ({
            Id: String(index),
            ReceiptHandle: message.ReceiptHandle ?? '',
          })),
        }),
      );
      replayed.push(...batch.map(deadLetterOf));
    }
    return replayed;
  }

  private async receive(): Promise<Message[]> {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: this.dlqUrl,
        MaxNumberOfMessages: BATCH,
        VisibilityTimeout: HIDDEN_SECONDS,
        WaitTimeSeconds: 1,
        MessageSystemAttributeNames: ['ApproximateReceiveCount', 'SentTimestamp'],
      }),
    );
    return Messages;
  }
}

function deadLetterOf(message: Message): DeadLetter {
  const sent = Number(message.Attributes?.SentTimestamp);
  return {
    messageId: message.MessageId ?? '',
    body: message.Body ?? '',
    receiveCount: Number(message.Attributes?.ApproximateReceiveCount ?? 0),
    ...(Number.isFinite(sent) ? { sentAt: new Date(sent).toISOString() } : {}),
  };
}
