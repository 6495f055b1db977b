import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { DynamoDeliveryLedger } from '../adapters/dynamo-delivery-ledger.js';
import { DynamoDeliveryRuns } from '../adapters/dynamo-delivery-runs.js';
import { DynamoSendRate } from '../adapters/dynamo-send-rate.js';
import { DynamoSubscriberStore } from '../adapters/dynamo-subscribers.js';
import { PowertoolsLog } from '../adapters/logger.js';
import { PowertoolsMetrics } from '../adapters/powertools-metrics.js';
import { S3OutgoingDigests } from '../adapters/s3-outgoing-digests.js';
import { readSecretString } from '../adapters/secret-value.js';
import { readMaxSendRate, SesMailer } from '../adapters/ses-mailer.js';
import { SqsDeliveryQueue } from '../adapters/sqs-delivery-queue.js';
import { loadStoryFile } from '../adapters/story-file.js';
import { type DeliverOutcome, deliverBatch } from '../core/6-digest/deliver-batch.js';
import { describeError, PayloadError } from '../core/model/errors.js';
import { parsePayload } from '../core/model/validation.js';
import { type DeliveryBatch, deliveryBatchSchema } from '../core/ports/delivery-queue.js';
import { readEnvironment, readHttpUrl, readPositiveNumber } from './environment.js';
import { type InvocationContext, invocationDeadline } from './invocation.js';

const env = readEnvironment([
  'STORY_PATH',
  'TABLE_NAME',
  'BUCKET_NAME',
  'DELIVERY_QUEUE_URL',
  'DELIVERY_DLQ_URL',
  'WEB_BASE_URL',
  'UNSUBSCRIBE_SECRET_ARN',
]);
const story = loadStoryFile(env.STORY_PATH);
const log = new PowertoolsLog({ storyId: story.id });
const metrics = new PowertoolsMetrics(story.id);
const settings = {
  // SES's own limit, read once per container, below any share the stack gives this story.
  maxSendRate: await readMaxSendRate(readPositiveNumber('MAX_SEND_RATE')),
  maxAttempts: readPositiveNumber('DELIVERY_MAX_ATTEMPTS') ?? 5,
  retryDelaySeconds: readPositiveNumber('DELIVERY_RETRY_SECONDS') ?? 60,
  sendMarginMs: readPositiveNumber('DELIVERY_SEND_MARGIN_MS') ?? 10_000,
  throttleBackoffMs: readPositiveNumber('DELIVERY_THROTTLE_BACKOFF_MS') ?? 250,
};
const deps = {
  deliveries: new DynamoDeliveryLedger(env.TABLE_NAME),
  subscribers: new DynamoSubscriberStore(env.TABLE_NAME),
  outgoing: new S3OutgoingDigests(env.BUCKET_NAME),
  mailer: new SesMailer(process.env.SES_CONFIGURATION_SET || undefined),
  sendRate: new DynamoSendRate(env.TABLE_NAME, story.id),
  deliveryQueue: new SqsDeliveryQueue(env.DELIVERY_QUEUE_URL, env.DELIVERY_DLQ_URL),
  deliveryRuns: new DynamoDeliveryRuns(env.TABLE_NAME),
  unsubscribe: {
    baseUrl: readHttpUrl('WEB_BASE_URL', env.WEB_BASE_URL),
    secret: await readSecretString(env.UNSUBSCRIBE_SECRET_ARN),
  },
  log,
  metrics,
  now: () => new Date(),
  sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
};

/** What a sender did with each batch of its event (the local runtime sums them). */
export interface DeliverResult extends SQSBatchResponse {
  readonly outcomes: readonly DeliverOutcome[];
}

/**
 * Delivery-queue consumer: each message is one batch of readers. The readers it cannot reach go
 * on in a new message (or to the DLQ) from inside deliverBatch, so a batch fails here only for
 * a fault of its own (the composed email unreadable, the ledger or the queue unreachable): SQS
 * then delivers it again, and the ledger passes whoever was served.
 */
export async function handler(
  event: SQSEvent,
  context?: InvocationContext,
): Promise<DeliverResult> {
  const deadline = invocationDeadline(new Date(), context);
  const outcomes: DeliverOutcome[] = [];
  const batchItemFailures: { itemIdentifier: string }[] = [];
  try {
    // One after another: they share the invocation's time and the story's send rate.
    for (const record of event.Records) {
      try {
        outcomes.push(await deliverBatch(parseBatch(record), { deadline }, deps, settings));
      } catch (error) {
        log.error('delivery batch failed', {
          messageId: record.messageId,
          reason: describeError(error),
        });
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }
  } finally {
    metrics.publish();
  }
  return { batchItemFailures, outcomes };
}

function parseBatch(record: SQSRecord): DeliveryBatch {
  let body: unknown;
  try {
    body = JSON.parse(record.body);
  } catch (error) {
    throw new PayloadError(`message ${record.messageId}`, 'body is not JSON', { cause: error });
  }
  const batch = parsePayload(deliveryBatchSchema, body, `message ${record.messageId}`);
  if (batch.storyId !== story.id) {
    throw new PayloadError(
      `message ${record.messageId}`,
      `story "${batch.storyId}" is not served here`,
    );
  }
  return batch;
}
