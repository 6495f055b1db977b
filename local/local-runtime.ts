import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { loadStoryFile } from '../lambdas/adapters/story-file.js';
import type { Story } from '../lambdas/core/model/story.js';
import type { Log } from '../lambdas/core/ports/log.js';
import { writeEmailTemplates } from '../lib/email-templates.js';
import { type LocalAws, startLocalAws } from './local-aws.js';
import { type LocalFunctionUrl, serveFunctionUrl } from './local-function-url.js';
import { PROJECT_ROOT, SAMPLE_SITE_DIR } from './project-paths.js';
import { type SampleSite, serveSampleSite } from './sample-site.js';
import { sqsEventOf } from './sqs-event.js';

/** Lambda retries a failed message this often before SQS moves it to the DLQ (as in the stack). */
const MAX_RECEIVES = 3;

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
    const aws = await startLocalAws({ dataDir, persistent: options.persistent ?? true });
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
   * Plays Lambda's SQS event source: delivers the fetch queue to the fetch handler in batches of
   * 5, deletes what succeeded, makes failures visible again at once (a retry), and after the
   * third failed receive sets the message aside as the DLQ would. Returns when the queue is empty.
   * `settled` hears how many messages each batch finished (done or set aside), for a progress bar.
   */
  async drainFetchQueue(
    log: Log,
    settled?: (count: number) => void,
  ): Promise<{ delivered: number; failed: number; deadLettered: string[] }> {
    const queueUrl = this.aws.queueUrl;
    let delivered = 0;
    let failed = 0;
    const deadLettered: string[] = [];
    for (;;) {
      const received = await this.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: 5,
          MessageSystemAttributeNames: ['All'],
        }),
      );
      const messages = received.Messages ?? [];
      if (messages.length === 0) break;
      const event = sqsEventOf(messages);
      const response = await this.handlers.fetch.handler(event);
      const failedIds = new Set(
        response.batchItemFailures.map((failure) => failure.itemIdentifier),
      );
      const done = messages.filter((message) => !failedIds.has(message.MessageId ?? ''));
      const retry = messages.filter((message) => failedIds.has(message.MessageId ?? ''));
      const exhausted = retry.filter(
        (message) => Number(message.Attributes?.ApproximateReceiveCount ?? 1) >= MAX_RECEIVES,
      );
      for (const message of exhausted) {
        deadLettered.push(message.Body ?? '');
        log.error('message moved aside after its last retry', {
          messageId: message.MessageId,
          body: message.Body,
        });
      }
      delivered += done.length;
      failed += retry.length;
      const toDelete = [...done, ...exhausted];
      settled?.(toDelete.length);
      if (toDelete.length) {
        await this.sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: toDelete.map((message, index) => ({
              Id: String(index),
              ReceiptHandle: message.ReceiptHandle ?? '',
            })),
          }),
        );
      }
      const again = retry.filter((message) => !exhausted.includes(message));
      if (again.length) {
        await this.sqs.send(
          new ChangeMessageVisibilityBatchCommand({
            QueueUrl: queueUrl,
            Entries: again.map((message, index) => ({
              Id: String(index),
              ReceiptHandle: message.ReceiptHandle ?? '',
              VisibilityTimeout: 0,
            })),
          }),
        );
      }
    }
    return { delivered, failed, deadLettered };
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
