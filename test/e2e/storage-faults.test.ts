import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { articleId } from '../../lambdas/core/2-fetch/article-id.js';
import { sourceUrl } from '../../lambdas/core/model/story.js';
import type { FetchRequest } from '../../lambdas/core/ports/fetch-queue.js';
import { LocalRuntime } from '../../local/local-runtime.js';
import { DEFAULT_STORY } from '../../local/project-paths.js';
import { FaultProxy, type ProxiedRequest } from '../support/fault-proxy.js';
import { quiet } from '../support/memory/log.js';
import { type PipelineState, pipelineState, wipeStorage } from '../support/pipeline-state.js';

/**
 * The sample cycle (discover, then the fetch queue drained through the real fetch handler with
 * SQS redelivery) with DynamoDB and S3 behind fault-injecting proxies: throttling and 5xx
 * mid-batch, writes that happen but whose answer is lost, a handler dying half-way through its
 * output, duplicate deliveries. Whatever the faults, once the queue is drained the storage holds
 * what a clean run leaves: every article once, the same events, each source of a development
 * once, the same coverage counts and the same digest for the week.
 */
const WEEK = '2019-W29';
/** The article of the sample with the most events; the crash and AMP cases use it. */
const ARTICLE_PATH = '/meridian-defence/news/us-suspends-turkey-f35-programme-s400.html';

describe('the pipeline under storage faults', () => {
  let dataDir: string;
  let runtime: LocalRuntime;
  let dynamo: FaultProxy;
  let s3: FaultProxy;
  let sqs: SQSClient;
  let clean: PipelineState;
  let origin: string;
  /** Every attempt the handlers' SDK clients make at one call: a fault this often fails it. */
  let attempts: { dynamodb: number; s3: number };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'story-digest-faults-'));
    dynamo = await FaultProxy.start('dynamodb');
    s3 = await FaultProxy.start('s3');
    runtime = await LocalRuntime.start({
      storyPath: DEFAULT_STORY,
      dataDir,
      sample: true,
      subscribers: [],
      persistent: false,
      endpoints: async (environment) => {
        dynamo.forwardTo(environment.AWS_ENDPOINT_URL_DYNAMODB ?? '');
        s3.forwardTo(environment.AWS_ENDPOINT_URL_S3 ?? '');
        return {
          ...environment,
          AWS_ENDPOINT_URL_DYNAMODB: dynamo.url,
          AWS_ENDPOINT_URL_S3: s3.url,
        };
      },
    });
    sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
    const { documents } = await import('../../lambdas/adapters/dynamo-documents.js');
    const { S3Client } = await import('@aws-sdk/client-s3');
    attempts = {
      dynamodb: await documents.config.maxAttempts(),
      s3: await new S3Client({}).config.maxAttempts(),
    };
    const [first] = runtime.story.sources;
    origin = new URL(first ? sourceUrl(first) : '').origin;

    // The reference: the same cycle with no fault.
    const discovered = await runtime.handlers.discover.handler();
    expect(discovered).toMatchObject({ failures: [] });
    const fetched = await runtime.drainFetchQueue(quiet);
    expect(fetched).toMatchObject({ failed: 0, deadLettered: [] });
    clean = await pipelineState(runtime, WEEK);
  });

  afterAll(async () => {
    sqs?.destroy();
    await runtime?.stop();
    await dynamo?.close();
    await s3?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Starts from empty storage and no rule. */
  async function fresh(): Promise<void> {
    dynamo.reset();
    s3.reset();
    await wipeStorage(runtime);
  }

  /** The storage after the drain, read with every rule dropped. */
  async function settled(): Promise<PipelineState> {
    dynamo.reset();
    s3.reset();
    return pipelineState(runtime, WEEK);
  }

  const idOf = (path: string) => articleId(`${origin}${path}`);
  const writes = (operation: string, text: string) => (request: ProxiedRequest) =>
    request.operation === operation && request.body.includes(text);
  const fingerprintOf = (path: string) => (request: ProxiedRequest) =>
    writes('PutItem', '"FP#')(request) && request.body.includes(idOf(path));

  it('the clean run is the reference: every article once, events, sources and a digest', () => {
    expect(Object.keys(clean.articles).length).toBeGreaterThanOrEqual(12);
    expect(Object.values(clean.articles).every((count) => count === 1)).toBe(true);
    const events = clean.events[`${origin}${ARTICLE_PATH}`] ?? [];
    expect(events.length).toBeGreaterThanOrEqual(2);
    for (const sources of Object.values(clean.developmentSources)) {
      expect(new Set(sources).size).toBe(sources.length);
    }
    expect(Object.values(clean.coverage).some((counts) => (counts.stored ?? 0) > 0)).toBe(true);
    expect(clean.digest).toMatchObject({ week: WEEK, items: expect.any(Array) });
  });

  it('DynamoDB throttling, 5xx and lost answers mid-batch: retried, stored once, counted once', async () => {
    await fresh();
    // Discovery: a URL claim that DynamoDB made but whose answer never came back.
    const lostClaim = dynamo.inject({
      match: writes('PutItem', '"URL#'),
      after: 2,
      fault: 500,
      commit: 'all',
    });
    const discovered = await runtime.handlers.discover.handler();
    expect(discovered).toMatchObject({ failures: [] });
    expect(lostClaim.injected).toBe(1);

    // Fetching: throttled puts across the concurrent batch, one article's fingerprint refused
    // (503) on every attempt the SDK makes (the message fails and comes back), type-index
    // entries throttled, and coverage counts that were made but whose answer was lost.
    const throttledPuts = dynamo.inject({
      match: 'PutItem',
      after: 4,
      times: 8,
      fault: 'throughput',
    });
    const refusedFingerprint = dynamo.inject({
      match: fingerprintOf(ARTICLE_PATH),
      times: attempts.dynamodb,
      fault: 503,
    });
    const throttledIndex = dynamo.inject({
      match: writes('PutItem', '"TYPE#'),
      times: 3,
      fault: 'throttling',
    });
    const lostCounts = dynamo.inject({
      match: (request) => request.body.includes('"COVERAGE#'),
      after: 1,
      times: 2,
      fault: 500,
      commit: 'all',
    });
    const fetched = await runtime.drainFetchQueue(quiet);

    expect(throttledPuts.injected).toBe(8);
    expect(refusedFingerprint.injected).toBe(attempts.dynamodb);
    expect(throttledIndex.injected).toBe(3);
    expect(lostCounts.injected).toBe(2);
    expect(fetched.failed).toBeGreaterThanOrEqual(1); // redelivered, not lost
    expect(fetched.deadLettered).toEqual([]);
    expect(await settled()).toEqual(clean);
  });

  it('S3 5xx and dropped connections on PUTs: every article archived and stored once', async () => {
    await fresh();
    const discovered = await runtime.handlers.discover.handler();
    expect(discovered).toMatchObject({ failures: [] });

    const slowDown = s3.inject({ match: 'PutObject', after: 3, times: 6, fault: 503 });
    const refusedRaw = s3.inject({
      match: (request) =>
        request.operation === 'PutObject' && request.path.includes(`raw/${idOf(ARTICLE_PATH)}`),
      times: attempts.s3,
      fault: 500,
    });
    const lostAnswer = s3.inject({
      match: (request) => request.operation === 'PutObject' && request.path.includes('/articles/'),
      after: 5,
      fault: 500,
      commit: 'all',
    });
    const dropped = s3.inject({ match: 'PutObject', after: 20, times: 2, fault: 'reset' });
    const fetched = await runtime.drainFetchQueue(quiet);

    expect(slowDown.injected).toBe(6);
    expect(refusedRaw.injected).toBe(attempts.s3);
    expect(lostAnswer.injected).toBe(1);
    expect(dropped.injected).toBe(2);
    expect(fetched.failed).toBeGreaterThanOrEqual(1);
    expect(fetched.deadLettered).toEqual([]);
    const state = await settled();
    expect(state).toEqual(clean);
    // Every fetched page's raw response and every stored article's clean copy, once.
    expect(state.archived.articles).toBe(Object.keys(clean.articles).length);
  });

  it('a handler that dies after writing half its records: redelivered, completed, no duplicate', async () => {
    await fresh();
    const discovered = await runtime.handlers.discover.handler();
    expect(discovered).toMatchObject({ failures: [] });

    // The article's clean copy and metadata are written, then its fingerprint reaches the table
    // but the answer is lost, on every attempt of the SDK: the message fails with half its output.
    const halfWritten = dynamo.inject({
      match: fingerprintOf(ARTICLE_PATH),
      times: attempts.dynamodb,
      fault: 500,
      commit: 'all',
    });
    // Another article dies between its development's type-index entry and the development
    // itself: the connection drops.
    const other = anotherReportingArticle(clean, ARTICLE_PATH);
    const diedMidDevelopments = dynamo.inject({
      match: writes('PutItem', `"DEV#${other.development}"`),
      times: attempts.dynamodb,
      fault: 'reset',
    });
    const fetched = await runtime.drainFetchQueue(quiet);

    expect(halfWritten.injected).toBe(attempts.dynamodb);
    expect(diedMidDevelopments.injected).toBe(attempts.dynamodb);
    expect(fetched.failed).toBeGreaterThanOrEqual(2);
    expect(fetched.deadLettered).toEqual([]);
    expect(await settled()).toEqual(clean);
  });

  it('an AMP copy that died after claiming its canonical URL is stored when redelivered', async () => {
    await fresh();
    // The AMP copy arrives first (a backfill, another feed): its canonical URL is claimed,
    // then DynamoDB is unreachable for the article's write (every attempt's connection drops)
    // and the message comes back.
    const amp = `${origin}${ARTICLE_PATH}?output=amp`;
    const request: FetchRequest = {
      storyId: runtime.story.id,
      sourceId: 'meridian-defence',
      url: amp,
      firstSeenAt: new Date().toISOString(),
    };
    await send([JSON.stringify(request)]);
    const refused = dynamo.inject({
      match: writes('PutItem', `"ARTICLE#${articleId(amp)}"`),
      times: attempts.dynamodb,
      fault: 'reset',
    });
    const first = await runtime.drainFetchQueue(quiet);
    expect(refused.injected).toBe(attempts.dynamodb);
    expect(first).toMatchObject({ failed: 1, deadLettered: [] });

    // Then the outlet's feed lists the canonical URL: known, not fetched again.
    const discovered = await runtime.handlers.discover.handler();
    expect(discovered).toMatchObject({ failures: [] });
    await runtime.drainFetchQueue(quiet);
    expect(await settled()).toEqual(clean);
  });

  it('every message delivered twice, and twice in one batch: stored once, counted once', async () => {
    await fresh();
    const discovered = await runtime.handlers.discover.handler();
    expect(discovered).toMatchObject({ failures: [] });
    // SQS delivers at least once: each message is in the queue twice.
    const messages = await receiveAll();
    expect(messages).toHaveLength(discovered.queued);
    const bodies = messages.map((message) => message.Body ?? '');
    await send(bodies);
    await makeVisible(messages);
    const fetched = await runtime.drainFetchQueue(quiet);
    expect(fetched).toMatchObject({ delivered: 2 * bodies.length, deadLettered: [] });

    // And a late duplicate, twice in one batch: both copies processed side by side.
    const body = bodies.find((candidate) => candidate.includes(ARTICLE_PATH)) ?? '';
    const result = await runtime.handlers.fetch.handler(sqsEvent([body, body]));
    expect(result.batchItemFailures).toEqual([]);
    expect(await settled()).toEqual(clean);
  });

  it('fetched in the reverse order, as retries reorder it: the same state', async () => {
    await fresh();
    const discovered = await runtime.handlers.discover.handler();
    expect(discovered).toMatchObject({ failures: [] });
    const messages = await receiveAll();
    await send(messages.map((message) => message.Body ?? '').reverse());
    await remove(messages);
    const fetched = await runtime.drainFetchQueue(quiet);
    expect(fetched).toMatchObject({ delivered: messages.length, failed: 0 });
    expect(await settled()).toEqual(clean);
  });

  async function send(bodies: readonly string[]): Promise<void> {
    for (let start = 0; start < bodies.length; start += 10) {
      await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: runtime.aws.queueUrl,
          Entries: bodies
            .slice(start, start + 10)
            .map((body, index) => ({ Id: String(index), MessageBody: body })),
        }),
      );
    }
  }

  async function receiveAll(): Promise<Message[]> {
    const messages: Message[] = [];
    for (;;) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: runtime.aws.queueUrl, MaxNumberOfMessages: 10 }),
      );
      if (Messages.length === 0) return messages;
      messages.push(...Messages);
    }
  }

  async function remove(messages: readonly Message[]): Promise<void> {
    for (let start = 0; start < messages.length; start += 10) {
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: runtime.aws.queueUrl,
          Entries: messages.slice(start, start + 10).map((message, index) => ({
            Id: String(index),
            ReceiptHandle: message.ReceiptHandle ?? '',
          })),
        }),
      );
    }
  }

  async function makeVisible(messages: readonly Message[]): Promise<void> {
    for (let start = 0; start < messages.length; start += 10) {
      await sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: runtime.aws.queueUrl,
          Entries: messages.slice(start, start + 10).map((message, index) => ({
            Id: String(index),
            ReceiptHandle: message.ReceiptHandle ?? '',
            VisibilityTimeout: 0,
          })),
        }),
      );
    }
  }
});

/** An article, other than `except`, and the development report it made. */
function anotherReportingArticle(
  state: PipelineState,
  except: string,
): { url: string; development: string } {
  const [development, urls] =
    Object.entries(state.developmentSources).find(
      ([, sources]) => sources.length > 0 && !sources.some((url) => url.endsWith(except)),
    ) ?? [];
  expect(development).toBeDefined();
  return { url: urls?.[0] ?? '', development: development ?? '' };
}

function sqsEvent(bodies: readonly string[]): SQSEvent {
  return {
    Records: bodies.map(
      (body, index): SQSRecord => ({
        messageId: `duplicate-${index}`,
        receiptHandle: `duplicate-${index}`,
        body,
        attributes: {
          ApproximateReceiveCount: '1',
          SentTimestamp: String(Date.now()),
          SenderId: 'test',
          ApproximateFirstReceiveTimestamp: String(Date.now()),
        },
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:story-digest-fetch',
        awsRegion: 'us-east-1',
      }),
    ),
  };
}
