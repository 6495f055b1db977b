import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  CreateTableCommand,
  DynamoDBClient,
  ResourceInUseException,
} from '@aws-sdk/client-dynamodb';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { buildApp as buildSqsEmulator } from 'fauxqs';
import S3rver from 's3rver';
import { TABLE_LAYOUT } from '../lambdas/adapters/table-layout.js';
import { type RunningServer, startDynamoDbLocal } from './dynamodb-local.js';
import { LOCAL_UNSUBSCRIBE_SECRET_ARN, startLocalSecrets } from './local-secrets.js';
import { type SesOutbox, startSesOutbox } from './ses-outbox.js';

const REGION = 'us-east-1';
/** s3rver accepts only these credentials; the other emulators accept any. */
const CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
/** As in the stack: a message is set aside after its third failed receive. */
export const MAX_RECEIVES = 3;
/**
 * As in the stack (six fetch timeouts): a message is hidden this long while a handler works on
 * it. The local drain makes failed messages visible again itself, sooner (LocalRuntime).
 */
const VISIBILITY_TIMEOUT_SECONDS = 720;
/** As in the stack: a delivery batch that failed five receives (crashed senders) is set aside. */
export const DELIVERY_MAX_RECEIVES = 5;
/** SES's default sending rate out of the sandbox: what the local SES reports (GetAccount). */
export const LOCAL_SES_MAX_SEND_RATE = 14;
/** Where the queues' messages wait between two runs on a persistent data directory. */
const SAVED_MESSAGES = 'sqs-messages.json';

export interface LocalAws {
  readonly bucket: string;
  readonly table: string;
  readonly queueUrl: string;
  /** The fetch queue's dead-letter queue: a message moves there on the receive after its third. */
  readonly dlqUrl: string;
  /** The delivery queue (batches of readers for the senders) and its DLQ. */
  readonly deliveryQueueUrl: string;
  readonly deliveryDlqUrl: string;
  /**
   * The SES emulator's base URL (through the outbox): `GET <sesEndpoint>/store` lists the mail
   * it accepted.
   */
  readonly sesEndpoint: string;
  /** Every message SES accepted, as sent: `<data-dir>/outbox/*.eml`. */
  readonly outbox: SesOutbox;
  /** The secret that signs unsubscribe links, served by the local Secrets Manager stand-in. */
  readonly unsubscribeSecretArn: string;
  /** The variables that point the unchanged handler code at these servers. */
  readonly environment: Readonly<Record<string, string>>;
  stop(): Promise<void>;
}

export interface LocalAwsOptions {
  /** Where DynamoDB and S3 keep their data between runs; in memory / a temp dir when undefined. */
  readonly dataDir: string;
  readonly persistent: boolean;
  /** The MaxSendRate the local SES reports (default LOCAL_SES_MAX_SEND_RATE). */
  readonly sesMaxSendRate?: number;
}

/**
 * Starts DynamoDB Local, s3rver, the SES v2 emulator, an SQS emulator and a Secrets Manager
 * stand-in, all on 127.0.0.1 and
 * free ports, creates the bucket, table and fetch queue the stack would, and returns the
 * standard AWS_ENDPOINT_URL_* variables that make the SDK clients use them.
 */
export async function startLocalAws(options: LocalAwsOptions): Promise<LocalAws> {
  const bucket = 'story-digest-local';
  const table = 'story-digest-local';
  const stops: (() => Promise<void>)[] = [];
  try {
    const s3Directory = join(options.dataDir, 's3');
    mkdirSync(s3Directory, { recursive: true });
    const [dynamo, s3, ses, sqs, secrets] = await Promise.all([
      startDynamoDbLocal(options.persistent ? join(options.dataDir, 'dynamodb') : undefined).then(
        (server: RunningServer) => {
          stops.push(server.stop);
          return server;
        },
      ),
      startS3(s3Directory, bucket).then((server) => {
        stops.push(server.stop);
        return server;
      }),
      startSes()
        .then((server) => {
          stops.push(server.stop);
          return startSesOutbox(server.endpoint, join(options.dataDir, 'outbox'));
        })
        .then((outbox) => {
          stops.push(outbox.stop);
          return outbox;
        }),
      startSqs().then((server) => {
        stops.push(server.stop);
        return server;
      }),
      startLocalSecrets(join(options.dataDir, 'unsubscribe-secret')).then((server) => {
        stops.push(server.stop);
        return server;
      }),
    ]);
    // The emulator answers GetAccount with this variable, read at each request.
    process.env.AWS_SES_ACCOUNT = JSON.stringify(
      localSesAccount(options.sesMaxSendRate ?? LOCAL_SES_MAX_SEND_RATE),
    );
    const environment = {
      AWS_REGION: REGION,
      AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_ENDPOINT_URL_S3: s3.endpoint,
      AWS_ENDPOINT_URL_SESV2: ses.endpoint,
      AWS_ENDPOINT_URL_SQS: sqs.endpoint,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.endpoint,
      // s3rver corrupts streamed bodies when the SDK's default checksums are on.
      AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
      AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
    };
    const clientConfig = { region: REGION, credentials: CREDENTIALS };
    await createTable(new DynamoDBClient({ ...clientConfig, endpoint: dynamo.endpoint }), table);
    const sqsClient = new SQSClient({ ...clientConfig, endpoint: sqs.endpoint });
    const queues = await createQueues(sqsClient);
    const saved = join(options.dataDir, SAVED_MESSAGES);
    if (options.persistent) await restoreMessages(sqsClient, queues, saved);
    return {
      bucket,
      table,
      queueUrl: queues.fetch,
      dlqUrl: queues.dlq,
      deliveryQueueUrl: queues.delivery,
      deliveryDlqUrl: queues.deliveryDlq,
      sesEndpoint: ses.endpoint,
      outbox: ses,
      unsubscribeSecretArn: LOCAL_UNSUBSCRIBE_SECRET_ARN,
      environment,
      stop: async () => {
        try {
          // fauxqs keeps messages in memory only: those still queued wait in the data directory.
          if (options.persistent) await saveMessages(sqsClient, queues, saved);
        } finally {
          sqsClient.destroy();
          await stopAll(stops);
        }
      },
    };
  } catch (error) {
    await stopAll(stops);
    throw error;
  }
}

async function startS3(directory: string, bucket: string): Promise<RunningServer> {
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    directory,
    silent: true,
    configureBuckets: [{ name: bucket }],
  });
  const address = await server.run();
  return { endpoint: `http://127.0.0.1:${address.port}`, stop: () => server.close() };
}

async function startSes(): Promise<RunningServer> {
  // A CommonJS module exporting `default`: required, so every loader (Node, tsx, vitest) agrees.
  const sesEmulator: typeof import('aws-ses-v2-local') = createRequire(import.meta.url)(
    'aws-ses-v2-local',
  );
  const server: Server = await sesEmulator.default({ host: '127.0.0.1', port: 0 });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** fauxqs's own start-up binds 0.0.0.0; its app is listened on loopback here instead. */
async function startSqs(): Promise<RunningServer> {
  const app = buildSqsEmulator({ logger: false });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  return { endpoint: address, stop: () => app.close() };
}

interface Queues {
  readonly fetch: string;
  readonly dlq: string;
  readonly delivery: string;
  readonly deliveryDlq: string;
}

const QUEUE_NAMES = ['fetch', 'dlq', 'delivery', 'deliveryDlq'] as const;

/** The fetch queue and its DLQ, with the stack's redrive policy (three receives). */
async function createQueues(sqs: SQSClient): Promise<Queues> {
  const dlq = await sqs.send(new CreateQueueCommand({ QueueName: 'story-digest-fetch-dlq' }));
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ['QueueArn'] }),
  );
  const fetch = await sqs.send(
    new CreateQueueCommand({
      QueueName: 'story-digest-fetch',
      Attributes: {
        VisibilityTimeout: String(VISIBILITY_TIMEOUT_SECONDS),
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: Attributes?.QueueArn,
          maxReceiveCount: MAX_RECEIVES,
        }),
      },
    }),
  );
  const deliveryDlq = await sqs.send(
    new CreateQueueCommand({ QueueName: 'story-digest-delivery-dlq' }),
  );
  const { Attributes: deliveryDlqAttributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: deliveryDlq.QueueUrl, AttributeNames: ['QueueArn'] }),
  );
  const delivery = await sqs.send(
    new CreateQueueCommand({
      QueueName: 'story-digest-delivery',
      Attributes: {
        VisibilityTimeout: String(VISIBILITY_TIMEOUT_SECONDS),
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: deliveryDlqAttributes?.QueueArn,
          maxReceiveCount: DELIVERY_MAX_RECEIVES,
        }),
      },
    }),
  );
  return {
    fetch: fetch.QueueUrl ?? '',
    dlq: dlq.QueueUrl ?? '',
    delivery: delivery.QueueUrl ?? '',
    deliveryDlq: deliveryDlq.QueueUrl ?? '',
  };
}

type SavedMessages = Record<keyof Queues, string[]>;

/** Takes every visible message out of both queues into a file (their receive counts are lost). */
async function saveMessages(sqs: SQSClient, queues: Queues, file: string): Promise<void> {
  const saved: SavedMessages = { fetch: [], dlq: [], delivery: [], deliveryDlq: [] };
  for (const name of QUEUE_NAMES) {
    for (;;) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queues[name],
          MaxNumberOfMessages: 10,
          VisibilityTimeout: 60,
        }),
      );
      if (Messages.length === 0) break;
      saved[name].push(...Messages.map((message: Message) => message.Body ?? ''));
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queues[name],
          Entries: Messages.map((message, index) => ({
            Id: String(index),
            ReceiptHandle: message.ReceiptHandle ?? '',
          })),
        }),
      );
    }
  }
  if (QUEUE_NAMES.some((name) => saved[name].length)) writeFileSync(file, JSON.stringify(saved));
  else rmSync(file, { force: true });
}

/** Puts the messages a previous run saved back in their queues. */
async function restoreMessages(sqs: SQSClient, queues: Queues, file: string): Promise<void> {
  if (!existsSync(file)) return;
  const saved = JSON.parse(readFileSync(file, 'utf8')) as SavedMessages;
  for (const name of QUEUE_NAMES) {
    const bodies = saved[name] ?? [];
    for (let start = 0; start < bodies.length; start += 10) {
      await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: queues[name],
          Entries: bodies.slice(start, start + 10).map((body, index) => ({
            Id: String(index),
            MessageBody: body,
          })),
        }),
      );
    }
  }
  rmSync(file, { force: true });
}

async function createTable(client: DynamoDBClient, table: string): Promise<void> {
  const { partitionKey, sortKey, timeIndex: index } = TABLE_LAYOUT;
  try {
    await client.send(
      new CreateTableCommand({
        TableName: table,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [partitionKey, sortKey, index.partitionKey, index.sortKey].map(
          (name) => ({
            AttributeName: name,
            AttributeType: 'S',
          }),
        ),
        KeySchema: [
          { AttributeName: partitionKey, KeyType: 'HASH' },
          { AttributeName: sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: index.name,
            KeySchema: [
              { AttributeName: index.partitionKey, KeyType: 'HASH' },
              { AttributeName: index.sortKey, KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error; // kept from an earlier run
  } finally {
    client.destroy();
  }
}

async function stopAll(stops: (() => Promise<void>)[]): Promise<void> {
  await Promise.allSettled(stops.map((stop) => stop()));
}

/** An SES account out of the sandbox, as GetAccount describes it, with this sending rate. */
function localSesAccount(maxSendRate: number) {
  return {
    DedicatedIpAutoWarmupEnabled: false,
    Details: {
      AdditionalContactEmailAddresses: [],
      ContactLanguage: 'EN',
      MailType: 'MARKETING',
      ReviewDetails: { CaseId: 'local', Status: 'GRANTED' },
      UseCaseDescription: 'story-digest local runtime',
      WebsiteURL: 'http://127.0.0.1/',
    },
    EnforcementStatus: 'HEALTHY',
    ProductionAccessEnabled: true,
    SendingEnabled: true,
    SendQuota: { Max24HourSend: 1_000_000, MaxSendRate: maxSendRate, SentLast24Hours: 0 },
    SuppressionAttributes: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] },
  };
}
