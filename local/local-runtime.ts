import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { loadStoryFile } from '../lambdas/adapters/story-file.js';
import type { Story } from '../lambdas/core/model/story.js';
import type { Log } from '../lambdas/core/ports/log.js';
import { writeEmailTemplates } from '../lib/email-templates.js';
import { type DeliveryDrainResult, drainDeliveryQueue } from './delivery-drain.js';
import { type LocalAws, MAX_RECEIVES, startLocalAws } from './local-aws.js';
import { type LocalFunctionUrl, serveFunctionUrl } from './local-function-url.js';
import { PROJECT_ROOT, SAMPLE_SITE_DIR } from './project-paths.js';
import { type SampleSite, serveSampleSite } from './sample-site.js';
import { sqsEventOf } from './sqs-event.js';

/** Concurrent invocations the stack's SQS event source allows the fetch function. */
export const EVENT_SOURCE_CONCURRENCY = 5;
/**
 * The local clock of the queue: the stack hides a failed message 12 minutes (its visibility
 * timeout) before the retry; a local run waits 1/720 of that, a second.
 */
export const LOCAL_RETRY_DELAY_MS = 1_000;

export interface DrainOptions {
  /**
   * Pollers working at once, each a batch of 5 at a time, as Lambda's concurrent invocations
   * (the stack allows EVENT_SOURCE_CONCURRENCY); default 1, batches one after the other.
   */
  readonly pollers?: number;
  /** How long a failed message stays hidden before its retry (default 0: at once). */
  readonly retryDelayMs?: number;
  /** Keeps polling until this settles (discovery still queueing), then until the queue is empty. */
  readonly until?: Promise<unknown>;
  /** Also report what became of every URL: skipped with its reason, or set aside with its failure. */
  readonly report?: boolean;
  /** Hears how many messages each batch finished (done or set aside), for a progress bar. */
  readonly settled?: (count: number) => void;
}

/**
 * The fetch queue as the stack's event source takes it, on the local clock: five pollers, a
 * failed message retried a second later; with `until`, alongside whatever is still queueing.
 */
export function asTheStackDrains(until?: Promise<unknown>): DrainOptions {
  return {
    pollers: EVENT_SOURCE_CONCURRENCY,
    retryDelayMs: LOCAL_RETRY_DELAY_MS,
    report: true,
    ...(until ? { until } : {}),
  };
}

/** What a drain did: messages done, failed attempts, and those set aside in the DLQ. */
export interface DrainResult {
  readonly delivered: number;
  readonly failed: number;
  /** Bodies of the messages that failed their last receive: they are in the DLQ now. */
  readonly deadLettered: string[];
  /** With `report`: URLs fetched and not stored for a permanent reason (robots, 404, not HTML…). */
  readonly skipped?: readonly { readonly url: string; readonly reason: string }[];
  /** With `report`: URLs set aside in the DLQ, with their last failure's reason. */
  readonly deadLetters?: readonly { readonly url: string; readonly reason: string }[];
}

export interface LocalRuntimeOptions {
  readonly storyPath: string;
  readonly dataDir: string;
  /** Serve sample/site on loopback and read it instead of the story's own sources. */
  readonly sample: boolean;
  readonly subscribers: readonly string[];
  /** Keep DynamoDB's data in the data directory (default); false: in memory, faster (tests). */
  readonly persistent?: boolean;
  /**
   * Rewrites the AWS_ENDPOINT_URL_* variables the handlers get before they are loaded, e.g. to
   * put a fault-injecting proxy in front of a server (the fault tests).
   */
  /** The MaxSendRate the local SES reports (GetAccount); default 14 a second, as SES's own. */
  readonly sesMaxSendRate?: number;
  readonly endpoints?: (
    environment: Readonly<Record<string, string>>,
  ) => Promise<Readonly<Record<string, string>>>;
}

type Handlers = {
  discover: typeof import('../lambdas/handlers/discover.js');
  fetch: typeof import('../lambdas/handlers/fetch.js');
  digest: typeof import('../lambdas/handlers/digest.js');
  backfill: typeof import('../lambdas/handlers/backfill.js');
  web: typeof import('../lambdas/handlers/web.js');
  sesEvents: typeof import('../lambdas/handlers/ses-events.js');
  deliver: typeof import('../lambdas/handlers/deliver.js');
};

/** What `LocalRuntime.digest` did: the run's result, then the senders' on the delivery queue. */
export type LocalDigestResult = import('../lambdas/handlers/digest.js').DigestResult & {
  readonly drained: DeliveryDrainResult;
};

/**
 * The stack on this machine: the local AWS-compatible servers, the story, and the very handler
 * modules Lambda runs, loaded after the AWS_ENDPOINT_URL_* variables point them here.
 */
export class LocalRuntime {
  private constructor(
    readonly aws: LocalAws,
    readonly story: Story,
    readonly handlers: Handlers,
    readonly dataDir: string,
    /** The web function (unsubscribe pages) as its Function URL would serve it, on loopback. */
    readonly web: LocalFunctionUrl,
    private readonly site: SampleSite | undefined,
    private readonly sqs: SQSClient,
  ) {}

  static async start(options: LocalRuntimeOptions): Promise<LocalRuntime> {
    const dataDir = resolve(options.dataDir);
    mkdirSync(dataDir, { recursive: true });
    const aws = await startLocalAws({
      dataDir,
      persistent: options.persistent ?? true,
      ...(options.sesMaxSendRate ? { sesMaxSendRate: options.sesMaxSendRate } : {}),
    });
    let site: SampleSite | undefined;
    let web: LocalFunctionUrl | undefined;
    try {
      let storyPath = resolve(options.storyPath);
      if (options.sample) {
        site = await serveSampleSite(SAMPLE_SITE_DIR, savedPort(dataDir, 'sample-site.json'));
        writeFileSync(join(dataDir, 'sample-site.json'), JSON.stringify({ origin: site.origin }));
        storyPath = writeSampleStory(storyPath, site.origin, dataDir);
      }
      let webHandler: Handlers['web']['handler'] | undefined;
      // Same port as last time when free, so unsubscribe links in earlier local digests work.
      web = await serveFunctionUrl(() => webHandler, savedPort(dataDir, 'web.json')).catch(() =>
        serveFunctionUrl(() => webHandler),
      );
      writeFileSync(join(dataDir, 'web.json'), JSON.stringify({ origin: new URL(web.url).origin }));
      // Metrics are for CloudWatch: their EMF lines would only clutter a terminal here.
      process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
      const environment = options.endpoints
        ? await options.endpoints(aws.environment)
        : aws.environment;
      Object.assign(process.env, environment, {
        STORY_PATH: storyPath,
        TABLE_NAME: aws.table,
        BUCKET_NAME: aws.bucket,
        FETCH_QUEUE_URL: aws.queueUrl,
        FETCH_DLQ_URL: aws.dlqUrl,
        DELIVERY_QUEUE_URL: aws.deliveryQueueUrl,
        DELIVERY_DLQ_URL: aws.deliveryDlqUrl,
        // The local clock, as for the fetch queue: a re-queued batch waits a second, not a
        // minute, a throttled send 50 ms, not 250, and three attempts stand for the stack's five.
        DELIVERY_RETRY_SECONDS: '1',
        DELIVERY_THROTTLE_BACKOFF_MS: '50',
        DELIVERY_MAX_ATTEMPTS: '3',
        // As a bundle ships them: the email template's CSS inlined once (lib/email-templates.ts).
        TEMPLATES_DIR: writeEmailTemplates(
          join(PROJECT_ROOT, 'templates'),
          join(dataDir, 'templates'),
        ),
        SUBSCRIBERS: options.subscribers.join(','),
        WEB_BASE_URL: web.url,
        UNSUBSCRIBE_SECRET_ARN: aws.unsubscribeSecretArn,
      });
      const story = loadStoryFile(storyPath);
      const handlers: Handlers = {
        discover: await import('../lambdas/handlers/discover.js'),
        fetch: await import('../lambdas/handlers/fetch.js'),
        digest: await import('../lambdas/handlers/digest.js'),
        backfill: await import('../lambdas/handlers/backfill.js'),
        web: await import('../lambdas/handlers/web.js'),
        sesEvents: await import('../lambdas/handlers/ses-events.js'),
        deliver: await import('../lambdas/handlers/deliver.js'),
      };
      webHandler = handlers.web.handler;
      const sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
      return new LocalRuntime(aws, story, handlers, dataDir, web, site, sqs);
    } catch (error) {
      await web?.stop();
      await site?.stop();
      await aws.stop();
      throw error;
    }
  }

  /**
   * Plays Lambda's SQS event source on the fetch queue: pollers (one by default, up to the
   * stack's five) take batches of 5, hand them to the fetch handler, delete what succeeded, and
   * leave failures hidden for `retryDelayMs` before their retry; the queue's redrive policy moves
   * a message to the DLQ on the receive after its third. Returns once the queue is empty (and
   * `until` settled).
   */
  async drainFetchQueue(log: Log, options: DrainOptions = {}): Promise<DrainResult> {
    const queueUrl = this.aws.queueUrl;
    const retryDelayMs = options.retryDelayMs ?? 0;
    let delivered = 0;
    let failed = 0;
    const deadLettered: string[] = [];
    const seen = new Set<string>();
    let producing = options.until !== undefined;
    void options.until?.finally(() => {
      producing = false;
    });
    let working = 0;
    let waitingRetries = 0;
    const retry = (messages: Message[], delayMs: number) =>
      this.sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: queueUrl,
          Entries: messages.map((message, index) => ({
            Id: String(index),
            ReceiptHandle: message.ReceiptHandle ?? '',
            VisibilityTimeout: Math.ceil(delayMs / 1000),
          })),
        }),
      );
    const poll = async (): Promise<void> => {
      for (;;) {
        const received = await this.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: queueUrl,
            MaxNumberOfMessages: 5,
            MessageSystemAttributeNames: ['All'],
          }),
        );
        const messages = received.Messages ?? [];
        if (messages.length === 0) {
          // Empty for now: more may come from discovery, a retry or another poller's batch.
          if (!producing && waitingRetries === 0 && working === 0) return;
          await new Promise((resolve) => setTimeout(resolve, 25));
          continue;
        }
        working += 1;
        try {
          for (const message of messages) seen.add(message.Body ?? '');
          const response = await this.handlers.fetch.handler(sqsEventOf(messages));
          const failedIds = new Set(
            response.batchItemFailures.map((failure) => failure.itemIdentifier),
          );
          const done = messages.filter((message) => !failedIds.has(message.MessageId ?? ''));
          const again = messages.filter((message) => failedIds.has(message.MessageId ?? ''));
          const exhausted = again.filter(
            (message) => Number(message.Attributes?.ApproximateReceiveCount ?? 1) >= MAX_RECEIVES,
          );
          for (const message of exhausted) {
            deadLettered.push(message.Body ?? '');
            log.error('message set aside in the DLQ after its last retry', {
              messageId: message.MessageId,
              body: message.Body,
            });
          }
          delivered += done.length;
          failed += again.length;
          options.settled?.(done.length + exhausted.length);
          if (done.length) {
            await this.sqs.send(
              new DeleteMessageBatchCommand({
                QueueUrl: queueUrl,
                Entries: done.map((message, index) => ({
                  Id: String(index),
                  ReceiptHandle: message.ReceiptHandle ?? '',
                })),
              }),
            );
          }
          // The last failure goes back at once: the next receive moves it to the DLQ.
          if (exhausted.length) await retry(exhausted, 0);
          const later = again.filter((message) => !exhausted.includes(message));
          if (later.length) {
            waitingRetries += later.length;
            await retry(later, retryDelayMs);
            // Hidden in whole seconds by SQS; counted as waiting until it can be seen again.
            setTimeout(
              () => {
                waitingRetries -= later.length;
              },
              Math.ceil(retryDelayMs / 1000) * 1000,
            );
          }
        } finally {
          working -= 1;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, options.pollers ?? 1) }, poll));
    const result: DrainResult = { delivered, failed, deadLettered };
    return options.report ? { ...result, ...(await this.outcomes(seen, deadLettered)) } : result;
  }

  /**
   * The weekly digest as the stack runs it: the digest function composes the week and queues its
   * readers, then the senders deliver the delivery queue until it is empty (five at a time, as
   * the event source allows). The result's `delivery` counters are read back after the drain.
   */
  async digest(event: { readonly week?: string } = {}): Promise<LocalDigestResult> {
    const queued = await this.handlers.digest.handler(event);
    const drained = await this.drainDeliveryQueue();
    const { DynamoDeliveryRuns } = await import('../lambdas/adapters/dynamo-delivery-runs.js');
    const run = await new DynamoDeliveryRuns(this.aws.table).get(this.story.id, queued.week);
    const counts = {
      queued: run?.queued ?? 0,
      sent: run?.sent ?? 0,
      suppressed: run?.suppressed ?? 0,
      failed: run?.failed ?? 0,
    };
    const pending = counts.queued - counts.sent - counts.suppressed - counts.failed;
    return { ...queued, delivery: { ...counts, pending: Math.max(0, pending) }, drained };
  }

  /** The delivery queue, drained by the sender handler as Lambda's event source would. */
  drainDeliveryQueue(options: { readonly pollers?: number } = {}): Promise<DeliveryDrainResult> {
    return drainDeliveryQueue(this.sqs, this.aws.deliveryQueueUrl, this.handlers.deliver.handler, {
      retryDelayMs: LOCAL_RETRY_DELAY_MS,
      ...options,
    });
  }

  /** What became of the URLs of the drained messages, read back from the table. */
  private async outcomes(
    bodies: ReadonlySet<string>,
    deadLettered: readonly string[],
  ): Promise<Required<Pick<DrainResult, 'skipped' | 'deadLetters'>>> {
    const { documents } = await import('../lambdas/adapters/dynamo-documents.js');
    const { urlKey } = await import('../lambdas/adapters/table-layout.js');
    const { DynamoFetchFailures } = await import('../lambdas/adapters/dynamo-fetch-failures.js');
    const failures = new DynamoFetchFailures(this.aws.table);
    const urlOf = (body: string) => {
      try {
        return String((JSON.parse(body) as { url?: unknown }).url ?? body);
      } catch {
        return body;
      }
    };
    const setAside = new Set(deadLettered.map(urlOf));
    const skipped: { url: string; reason: string }[] = [];
    const deadLetters: { url: string; reason: string }[] = [];
    for (const url of new Set([...bodies].map(urlOf))) {
      if (setAside.has(url)) {
        const failure = await failures.lastFailure(url);
        deadLetters.push({ url, reason: failure?.reason ?? 'no reason recorded' });
        continue;
      }
      const { Item } = await documents.send(
        new GetCommand({ TableName: this.aws.table, Key: urlKey(url) }),
      );
      if (Item?.status === 'skipped') skipped.push({ url, reason: String(Item.reason) });
    }
    const byUrl = (a: { url: string }, b: { url: string }) => a.url.localeCompare(b.url);
    return { skipped: skipped.sort(byUrl), deadLetters: deadLetters.sort(byUrl) };
  }

  async stop(): Promise<void> {
    this.sqs.destroy();
    await this.web.stop();
    await this.site?.stop();
    await this.aws.stop();
  }
}

function savedPort(dataDir: string, file: string): number {
  try {
    const { origin } = JSON.parse(readFileSync(join(dataDir, file), 'utf8')) as {
      origin: string;
    };
    return Number(new URL(origin).port) || 0;
  } catch {
    return 0;
  }
}

/** The story with its sources replaced by the sample outlets' feeds, loopback allowed. */
function writeSampleStory(storyPath: string, origin: string, dataDir: string): string {
  const story = JSON.parse(readFileSync(storyPath, 'utf8')) as Record<string, unknown>;
  const outlets = JSON.parse(readFileSync(join(SAMPLE_SITE_DIR, 'outlets.json'), 'utf8')) as {
    id: string;
    name: string;
    feed: string;
    type: 'rss' | 'atom' | 'rdf';
  }[];
  const sampleStory = {
    ...story,
    sources: outlets.map((outlet) => ({
      id: outlet.id,
      type: outlet.type,
      url: `${origin}${outlet.feed}`,
      outlet: outlet.name,
    })),
    // One loopback host stands in for four outlets: pacing them as one host would only slow the demo.
    fetch: { ...(story.fetch as object | undefined), allowPrivateNetworks: true, hostDelayMs: 0 },
  };
  const path = join(dataDir, 'sample-story.json');
  writeFileSync(path, `${JSON.stringify(sampleStory, null, 2)}\n`);
  return path;
}
