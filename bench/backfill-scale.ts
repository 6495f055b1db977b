/**
 * Backfill at scale: 10,000 articles over 50 local hosts (50 servers on 127.0.0.1, each its own
 * host:port, robots.txt allowing all, a host delay of 10 ms so the DynamoDB host pacer is on the
 * path as with the story's 1 s), through the local AWS-compatible servers and the real handlers:
 * the backfill handler with `{urls}` claims each URL and queues it on SQS; the fetch handler
 * takes the queue in batches of 5 (as Lambda's SQS event source and LocalRuntime.drainFetchQueue
 * deliver it; 5 pollers, the stack's maximum concurrency, in this one process, so sharing one
 * HTTP client of the story's concurrency 4), fetches, archives the raw response to S3, cleans,
 * extracts and stores the article, its events and developments.
 *
 * Printed: articles/second end to end (backfill call + draining), the process's peak RSS
 * (sampled every 50 ms; DynamoDB Local is a separate Java process, its peak printed apart), the
 * DynamoDB, S3 and SQS requests per article by operation (counted on the SDK clients: middleware
 * on the DynamoDB document client, a wrapped `send` on the S3 and SQS client classes, whose
 * instances are private to their adapters), and the log bytes per article the handlers write.
 * The reference, measured in the same run on the same articles: the same fetch use case with the
 * same HTTP client settings and host delay but no storage (an archive and a store that do
 * nothing): fetch + decode + clean + relevance + extraction + fingerprint, CPU and loopback only,
 * with as many articles in hand at once (25). Order: a 200-article warm-up, the pipeline, the
 * reference.
 *
 *   npm run bench            (or: npx tsx bench/backfill-scale.ts [articles])
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { Log } from '../lambdas/core/ports/log.js';
import { startLocalAws } from '../local/local-aws.js';
import { DEFAULT_STORY, SAMPLE_SITE_DIR } from '../local/project-paths.js';
import { sqsEventOf } from '../local/sqs-event.js';

const ARTICLES = Number(process.argv[2]) || 10_000;
const HOSTS = 50;
const HOST_DELAY_MS = 10;
const POLLERS = 5;
const BATCH = 5;
const MAX_RECEIVES = 3;

/** The sample's articles that are on the story (the India explainer is not): page templates. */
const TEMPLATE_FILES = [
  'meridian-defence/news/shanahan-letter-turkey-f35-deadline.html',
  'meridian-defence/news/us-suspends-turkey-f35-programme-s400.html',
  'meridian-defence/news/turkey-rejects-f35-decision-unfair.html',
  'meridian-defence/news/first-s400-parts-arrive-murted-ankara.html',
  'northgate-wire/story/18342-us-approves-patriot-sale-turkey.html',
  'northgate-wire/story/19904-pentagon-suspends-turkey-f35.html',
  'northgate-wire/story/19877-trump-turkey-f35-s400.html',
  'steppe-gazette/world/turkey-foreign-ministry-f35-unfair.html',
  'steppe-gazette/world/turkey-takes-delivery-first-s400.html',
  'steppe-gazette/world/white-house-s400-f35-impossible.html',
  'steppe-gazette/world/erdogan-says-turkey-signed-s400-deal.html',
  'aegean-ledger/2019/07/17/trump-no-f35-turkey-obama-patriot.html',
  'aegean-ledger/2019/07/18/ankara-f35-decision-mistake.html',
  'aegean-ledger/2019/07/15/more-s400-flights-murted.html',
  'aegean-ledger/2017/12/27/rostec-s400-turkey-financing.html',
].map((file) => ({ path: file, html: readFileSync(join(SAMPLE_SITE_DIR, file), 'utf8') }));

const WORDS = (
  'radar battery convoy hangar runway logistics crew training contract tranche component ' +
  'launcher missile interceptor engineer technician shipment cargo aircraft base airfield ' +
  'warehouse inspection schedule timetable brigade unit officer delegation committee budget ' +
  'payment invoice loan credit customs manifest pallet container crate truck rail port ' +
  'harbour depot barracks antenna generator vehicle trailer spare manual simulator instructor ' +
  'exercise drill deployment rotation convoy escort checkpoint perimeter fence gate tower'
).split(' ');

/** A paragraph of its own per article: near-duplicate fingerprints differ, as real reports do. */
function uniqueParagraph(index: number): string {
  let seed = index * 2_654_435_761 + 1;
  const words = Array.from({ length: 24 }, () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return WORDS[seed % WORDS.length];
  });
  return `<p>Field notes ${index}: ${words.slice(0, 12).join(' ')}. Observers also listed ${words.slice(12).join(' ')}.</p>`;
}

/** Article `index`'s page on its host: a sample page moved to `/a/<index>.html`, plus its own paragraph. */
function articlePage(index: number, origin: string): string {
  const template = TEMPLATE_FILES[index % TEMPLATE_FILES.length] as (typeof TEMPLATE_FILES)[0];
  const html = template.html
    .replaceAll(`{{origin}}/${template.path}`, `${origin}/a/${index}.html`)
    .replaceAll('{{origin}}', origin);
  const lead = html.indexOf('</p>', html.indexOf('</h1>')) + '</p>'.length;
  return `${html.slice(0, lead)}\n${uniqueParagraph(index)}${html.slice(lead)}`;
}

async function startHost(): Promise<{ server: Server; origin: string }> {
  let origin = '';
  const server = createServer((request, response) => {
    const path = request.url ?? '/';
    if (path === '/robots.txt') return response.writeHead(200).end('User-agent: *\nAllow: /\n');
    const match = /^\/a\/(\d+)\.html$/.exec(path);
    if (!match) return response.writeHead(404).end();
    response
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      .end(articlePage(Number(match[1]), origin));
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { server, origin };
}

/** Requests per service and operation, counted on the SDK clients. */
const requests: Record<string, Record<string, number>> = { DynamoDB: {}, S3: {}, SQS: {} };
/** DynamoDB capacity units as DynamoDB Local reports them (ReturnConsumedCapacity); S3 bytes put. */
const usage = { readUnits: 0, writeUnits: 0, conditionFailed: 0, s3BytesPut: 0 };
/** Write units and refused writes by kind of item (the key's leading words): where they go. */
const writesByKind: Record<string, { units: number; refused: number }> = {};
let counting = false;
function count(service: string, operation: string): void {
  if (!counting) return;
  const byOperation = requests[service] as Record<string, number>;
  byOperation[operation] = (byOperation[operation] ?? 0) + 1;
}
/** DynamoDB Local reports a request's total units (`CapacityUnits`), read or write by operation. */
type ConsumedCapacity = { CapacityUnits?: number };
const READS = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan']);
function countCapacity(
  operation: string,
  kinds: readonly string[],
  consumed: ConsumedCapacity | ConsumedCapacity[] | undefined,
): void {
  if (!counting || !consumed) return;
  for (const entry of Array.isArray(consumed) ? consumed : [consumed]) {
    const units = entry.CapacityUnits ?? 0;
    if (READS.has(operation)) {
      usage.readUnits += units;
      continue;
    }
    usage.writeUnits += units;
    // A transaction or batch reports one total: shared evenly among the items it wrote.
    for (const kind of kinds) writeKind(kind).units += units / kinds.length;
  }
}
function writeKind(kind: string) {
  writesByKind[kind] ??= { units: 0, refused: 0 };
  return writesByKind[kind];
}
type Keyed = { Key?: Record<string, unknown>; Item?: Record<string, unknown> };
/** The kinds of item a request writes: "ARTICLE/EVENT" for pk ARTICLE#…, sk EVENT#…. */
function itemKinds(
  input: {
    TransactItems?: Record<string, Keyed>[];
    RequestItems?: Record<string, Record<string, Keyed>[]>;
  } & Keyed,
): string[] {
  const keyed: Keyed[] = [
    input,
    ...(input.TransactItems ?? []).flatMap((item) => Object.values(item)),
    ...Object.values(input.RequestItems ?? {}).flatMap((requests) =>
      requests.flatMap((request) => Object.values(request)),
    ),
  ];
  return keyed.flatMap(({ Key, Item }) => {
    const key = Key ?? Item;
    if (!key?.pk) return [];
    const word = (value: unknown) => /^[A-Z][A-Z-]*/.exec(String(value))?.[0] ?? '…';
    return [`${word(key.pk)}/${word(key.sk)}`];
  });
}
type SendingClass = { prototype: { send: (command: object, ...rest: unknown[]) => unknown } };
function countSends(service: string, clientClass: SendingClass): void {
  const send = clientClass.prototype.send;
  clientClass.prototype.send = function (this: unknown, command: object, ...rest: unknown[]) {
    count(service, command.constructor.name.replace(/Command$/, ''));
    const body = (command as { input?: { Body?: unknown } }).input?.Body;
    if (counting && (typeof body === 'string' || body instanceof Uint8Array)) {
      usage.s3BytesPut += typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
    }
    return send.call(this, command, ...rest);
  };
}
countSends('S3', S3Client as unknown as SendingClass);
countSends('SQS', SQSClient as unknown as SendingClass);

/** Peak resident set size of this process while `work` runs, sampled every 50 ms. */
async function withPeakRss<T>(work: () => Promise<T>): Promise<{ result: T; peakRss: number }> {
  let peakRss = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 50);
  try {
    const result = await work();
    return { result, peakRss: Math.max(peakRss, process.memoryUsage.rss()) };
  } finally {
    clearInterval(sampler);
  }
}

/** Peak RSS (VmHWM) of this process's Java child: DynamoDB Local. */
function javaPeakRss(): number | undefined {
  try {
    const children = readFileSync(`/proc/${process.pid}/task/${process.pid}/children`, 'utf8')
      .trim()
      .split(/\s+/);
    for (const pid of children) {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      if (!/^Name:\s+java/m.test(status)) continue;
      const kb = /^VmHWM:\s+(\d+) kB/m.exec(status)?.[1];
      if (kb) return Number(kb) * 1024;
    }
  } catch {
    // Not Linux, or the child is gone: not printed.
  }
  return undefined;
}

/** Log bytes written to stdout while `work` runs (the handlers' JSON lines), kept off the console. */
async function withLogBytes<T>(work: () => Promise<T>): Promise<{ result: T; logBytes: number }> {
  const write = process.stdout.write;
  let logBytes = 0;
  process.stdout.write = ((chunk: string | Uint8Array) => {
    logBytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength;
    return true;
  }) as typeof process.stdout.write;
  try {
    return { result: await work(), logBytes };
  } finally {
    process.stdout.write = write;
  }
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const progress = (message: string) => process.stderr.write(`  … ${message}\n`);

// Local development runs on Node 20 (Lambda on 24); the SDK's notice about it is known.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const dataDir = mkdtempSync(join(tmpdir(), 'story-digest-bench-'));
const hosts = await Promise.all(Array.from({ length: HOSTS }, startHost));
const aws = await startLocalAws({ dataDir, persistent: false });
try {
  const storyPath = join(dataDir, 'story.json');
  const story = JSON.parse(readFileSync(DEFAULT_STORY, 'utf8')) as { fetch?: object };
  writeFileSync(
    storyPath,
    JSON.stringify({
      ...story,
      fetch: { ...story.fetch, allowPrivateNetworks: true, hostDelayMs: HOST_DELAY_MS },
    }),
  );
  Object.assign(process.env, aws.environment, {
    STORY_PATH: storyPath,
    TABLE_NAME: aws.table,
    BUCKET_NAME: aws.bucket,
    FETCH_QUEUE_URL: aws.queueUrl,
    FETCH_DLQ_URL: aws.dlqUrl,
  });
  // Imported once the endpoints are set: the adapters create their clients on import.
  const { documents } = await import('../lambdas/adapters/dynamo-documents.js');
  documents.middlewareStack.add(
    (next, context) => async (args) => {
      const operation = String(context.commandName).replace(/Command$/, '');
      const kinds = itemKinds(args.input as Parameters<typeof itemKinds>[0]);
      count('DynamoDB', operation);
      if (counting) {
        (args.input as { ReturnConsumedCapacity?: string }).ReturnConsumedCapacity = 'TOTAL';
      }
      try {
        const result = await next(args);
        countCapacity(
          operation,
          kinds,
          (result.output as { ConsumedCapacity?: ConsumedCapacity }).ConsumedCapacity,
        );
        return result;
      } catch (error) {
        if (counting && (error as Error).name === 'ConditionalCheckFailedException') {
          usage.conditionFailed += 1;
          for (const kind of kinds.slice(0, 1)) writeKind(kind).refused += 1;
        }
        throw error;
      }
    },
    { step: 'initialize', name: 'countRequests' },
  );
  const backfillHandler = await import('../lambdas/handlers/backfill.js');
  const fetchHandler = await import('../lambdas/handlers/fetch.js');
  const { loadStoryServices, storyAnalysis } = await import(
    '../lambdas/handlers/story-services.js'
  );
  const { fetchAndProcess } = await import('../lambdas/core/2-fetch/process-article.js');
  type ProcessDeps = import('../lambdas/core/2-fetch/process-article.js').ProcessDeps;
  const { PowertoolsLog } = await import('../lambdas/adapters/logger.js');

  const urls = Array.from(
    { length: ARTICLES },
    (_, index) => `${hosts[index % HOSTS]?.origin}/a/${index}.html`,
  );

  /** The reference: the fetch use case on every URL, with storage that does nothing. */
  async function reference(list: readonly string[]) {
    const services = loadStoryServices(storyPath);
    const { http } = services;
    const analysis = storyAnalysis(services.story);
    const outcomes: Record<string, number> = {};
    const nothing = async () => undefined;
    const deps: ProcessDeps = {
      http,
      rawArchive: { putRaw: nothing },
      articleArchive: { putArticle: async () => '' },
      seenUrls: { claimUrl: async () => true, markUrl: nothing },
      articles: { putArticle: nothing, putFingerprint: nothing },
      developments: { recordDevelopment: async () => true },
      coverage: { countArticle: nothing },
      failures: { recordFailure: nothing },
      log: new PowertoolsLog(),
      // The pipeline run counts metrics through its handlers; the reference keeps none.
      metrics: { count: () => undefined },
      now: () => new Date(),
    };
    const firstSeenAt = new Date().toISOString();
    const started = performance.now();
    let next = 0;
    // As many articles in hand at once as the pipeline's pollers hold (5 batches of 5).
    await Promise.all(
      Array.from({ length: POLLERS * BATCH }, async () => {
        while (next < list.length) {
          const url = list[next++] as string;
          const request = { storyId: analysis.story.id, sourceId: 'backfill', url, firstSeenAt };
          const outcome = await fetchAndProcess(request, analysis, deps);
          outcomes[outcome.status] = (outcomes[outcome.status] ?? 0) + 1;
        }
      }),
    );
    return { seconds: (performance.now() - started) / 1000, outcomes };
  }

  /** Lambda's SQS event source, as LocalRuntime.drainFetchQueue plays it, with several pollers. */
  async function drain(sqs: SQSClient, log: Log) {
    let delivered = 0;
    let failed = 0;
    let deadLettered = 0;
    let handlerMs = 0;
    let invocations = 0;
    let nextReport = 1_000;
    const started = performance.now();
    const poll = async () => {
      for (;;) {
        const received = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: aws.queueUrl,
            MaxNumberOfMessages: BATCH,
            MessageSystemAttributeNames: ['All'],
          }),
        );
        const messages = received.Messages ?? [];
        if (messages.length === 0) return;
        const event = sqsEventOf(messages);
        const invoked = performance.now();
        const response = await fetchHandler.handler(event);
        handlerMs += performance.now() - invoked;
        invocations += 1;
        const failedIds = new Set(response.batchItemFailures.map((item) => item.itemIdentifier));
        const done = messages.filter((message) => !failedIds.has(message.MessageId ?? ''));
        const retry = messages.filter((message) => failedIds.has(message.MessageId ?? ''));
        const exhausted = retry.filter(
          (message) => Number(message.Attributes?.ApproximateReceiveCount ?? 1) >= MAX_RECEIVES,
        );
        for (const message of exhausted) log.error('set aside', { body: message.Body });
        delivered += done.length;
        failed += retry.length;
        deadLettered += exhausted.length;
        const toDelete = [...done, ...exhausted];
        if (toDelete.length) {
          await sqs.send(
            new DeleteMessageBatchCommand({
              QueueUrl: aws.queueUrl,
              Entries: toDelete.map((message, index) => ({
                Id: String(index),
                ReceiptHandle: message.ReceiptHandle ?? '',
              })),
            }),
          );
        }
        const again = retry.filter((message) => !exhausted.includes(message));
        if (again.length) {
          await sqs.send(
            new ChangeMessageVisibilityBatchCommand({
              QueueUrl: aws.queueUrl,
              Entries: again.map((message, index) => ({
                Id: String(index),
                ReceiptHandle: message.ReceiptHandle ?? '',
                VisibilityTimeout: 0,
              })),
            }),
          );
        }
        if (delivered >= nextReport) {
          const seconds = (performance.now() - started) / 1000;
          progress(
            `${delivered} fetched in ${seconds.toFixed(0)} s (${(delivered / seconds).toFixed(0)}/s)`,
          );
          nextReport += 1_000;
        }
      }
    };
    await Promise.all(Array.from({ length: POLLERS }, poll));
    return { delivered, failed, deadLettered, handlerMs, invocations };
  }

  const runStarted = performance.now();
  await withLogBytes(() => reference(urls.slice(0, 200))); // warm-up: JIT, sockets
  const rssBefore = process.memoryUsage.rss();
  progress(`pipeline: backfill {urls} of ${ARTICLES}, then the fetch queue`);
  counting = true;
  const sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
  const log = new PowertoolsLog();
  const pipeline = await withPeakRss(() =>
    withLogBytes(async () => {
      const started = performance.now();
      const queued = await backfillHandler.handler({ urls });
      const backfillSeconds = (performance.now() - started) / 1000;
      progress(`backfill queued ${queued.queued} in ${backfillSeconds.toFixed(0)} s`);
      const drained = await drain(sqs, log);
      return { queued, drained, backfillSeconds, seconds: (performance.now() - started) / 1000 };
    }),
  );
  counting = false;
  sqs.destroy();
  const javaPeak = javaPeakRss();
  const { queued, drained, backfillSeconds, seconds } = pipeline.result.result;
  progress(`reference: ${ARTICLES} articles without storage`);
  const ref = await withPeakRss(async () => (await withLogBytes(() => reference(urls))).result);

  // What the fetch handler made of them: the outcome each article is counted with.
  const { DescribeTableCommand } = await import('@aws-sdk/client-dynamodb');
  const { queryAll } = await import('../lambdas/adapters/dynamo-documents.js');
  const { coveragePartition } = await import('../lambdas/adapters/table-layout.js');
  const outcomes: Record<string, number> = {};
  const marks = await queryAll({
    TableName: aws.table,
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': coveragePartition('s400-turkey') },
  });
  for (const { outcome } of marks) outcomes[String(outcome)] = (outcomes[String(outcome)] ?? 0) + 1;
  const { Table } = await documents.send(new DescribeTableCommand({ TableName: aws.table }));

  const rate = ARTICLES / seconds;
  const refRate = ARTICLES / ref.result.seconds;
  console.log(
    `\nbackfill at scale: ${ARTICLES} articles over ${HOSTS} local hosts, host delay ${HOST_DELAY_MS} ms, ` +
      `HTTP concurrency 4, ${POLLERS} queue pollers × batches of ${BATCH}`,
  );
  console.log(
    `pipeline (backfill handler → SQS → fetch handler → S3 + DynamoDB): ${seconds.toFixed(1)} s, ` +
      `${rate.toFixed(1)} articles/s (backfill call ${backfillSeconds.toFixed(1)} s); ` +
      `queued ${queued.queued}, fetched ${drained.delivered}, failed receives ${drained.failed}, ` +
      `set aside ${drained.deadLettered}; outcomes ${JSON.stringify(outcomes)}`,
  );
  console.log(
    `reference (same fetch use case, no storage):                  ${ref.result.seconds.toFixed(1)} s, ` +
      `${refRate.toFixed(1)} articles/s; outcomes ${JSON.stringify(ref.result.outcomes)}`,
  );
  console.log(
    `ratio pipeline/reference articles/s: ${(rate / refRate).toFixed(2)}×  ` +
      `(storage, queue and local servers cost ${(seconds / ref.result.seconds).toFixed(1)}× the time)`,
  );
  console.log(
    `peak RSS of this process (local S3, SQS and SES servers and the ${HOSTS} hosts included): ` +
      `${mb(pipeline.peakRss)} during the pipeline, ${mb(rssBefore)} before it; ${mb(ref.peakRss)} during the reference (after the pipeline)` +
      (javaPeak ? `; DynamoDB Local (Java) ${mb(javaPeak)}` : ''),
  );
  console.log(
    `handler log output: ${(pipeline.result.logBytes / ARTICLES).toFixed(0)} bytes per article (default level)`,
  );
  console.log(
    `fetch handler: ${drained.invocations} invocations, ${(drained.handlerMs / drained.invocations).toFixed(0)} ms each on average ` +
      `(${(drained.handlerMs / ARTICLES).toFixed(0)} ms of invocation per article, ${POLLERS} running at once)`,
  );
  console.log(
    `DynamoDB capacity per article (as DynamoDB Local reports it): ${(usage.writeUnits / ARTICLES).toFixed(2)} write units, ` +
      `${(usage.readUnits / ARTICLES).toFixed(2)} read units, plus ${(usage.conditionFailed / ARTICLES).toFixed(2)} ` +
      `conditional writes refused (reported without units; AWS bills a refused write as a write); ` +
      `S3 bytes put per article: ${(usage.s3BytesPut / ARTICLES).toFixed(0)}; table ${Table?.ItemCount} items, ` +
      `${((Table?.TableSizeBytes ?? 0) / ARTICLES).toFixed(0)} bytes per article (DescribeTable)`,
  );
  console.log(
    `write units (refused writes) per article, by kind of item: ${Object.entries(writesByKind)
      .sort(([, a], [, b]) => b.units - a.units)
      .map(
        ([kind, { units, refused }]) =>
          `${kind} ${(units / ARTICLES).toFixed(2)}${refused ? ` (${(refused / ARTICLES).toFixed(2)})` : ''}`,
      )
      .join(', ')}`,
  );
  console.log('requests per article, by operation (the whole pipeline, divided by articles):');
  for (const [service, byOperation] of Object.entries(requests)) {
    const total = Object.values(byOperation).reduce((sum, value) => sum + value, 0);
    const parts = Object.entries(byOperation)
      .sort(([, a], [, b]) => b - a)
      .map(([operation, value]) => `${operation} ${(value / ARTICLES).toFixed(3)}`);
    console.log(
      `  ${service.padEnd(8)} ${(total / ARTICLES).toFixed(3)} per article (${total} in all): ${parts.join(', ')}`,
    );
  }
  console.log(`total run time ${((performance.now() - runStarted) / 1000).toFixed(0)} s`);
} finally {
  await aws.stop();
  for (const host of hosts) host.server.close();
  rmSync(dataDir, { recursive: true, force: true });
}
