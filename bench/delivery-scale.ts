/**
 * Delivery at scale: a week's digest to N subscribers (default 1,000 and 10,000; pass the sizes
 * to run others, e.g. 100000) through the fan-out, on the local servers (DynamoDB Local, fauxqs
 * for SQS, the SES v2 emulator reporting a MaxSendRate of RATE a second through GetAccount).
 *
 * Each function runs in a process of its own, as a Lambda container: the digest handler once
 * (composes, archives, pages through the subscribers and queues batches of 50), then
 * SENDER_CONCURRENCY sender processes at once (the stack's event-source maxConcurrency), each
 * taking batches from the delivery queue until none is left. Subscribers are written straight
 * into the table first (BatchWriteItem; setup, not measured).
 *
 * Printed per size: time from the digest run's start to the last batch done, against N / RATE;
 * every reader sent exactly once (the ledger's `sent` items and SES's count); the most sends SES
 * received in any one second (arrivals at a loopback gate in front of the emulator) against
 * RATE; DynamoDB and SQS requests per reader by operation (counted at a proxy in front of each),
 * and DynamoDB write requests per reader (each is 1 WCU: every item written is under 1 KB);
 * each function's peak RSS and V8 heap; the longest sender invocation.
 *
 *   npx tsx bench/delivery-scale.ts [N...]     (RATE: env DELIVERY_BENCH_RATE, default 100)
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { SENDER_CONCURRENCY } from '../local/delivery-drain.js';
import { LocalRuntime } from '../local/local-runtime.js';
import { DEFAULT_STORY } from '../local/project-paths.js';
import { FaultProxy } from '../test/support/fault-proxy.js';
import { startSesGate } from '../test/support/ses-gate.js';

const run = promisify(execFile);
const RATE = Number(process.env.DELIVERY_BENCH_RATE ?? 100);
const SIZES = process.argv.slice(2).map(Number);
const CHILD = fileURLToPath(new URL('./support/delivery-child.ts', import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem']);
const MB = 1024 * 1024;

interface ChildReport {
  readonly role: string;
  readonly report: Record<string, unknown>;
  readonly maxRssBytes: number;
  readonly heapPeakBytes: number;
}

async function child(args: string[], env: NodeJS.ProcessEnv): Promise<ChildReport> {
  const { stdout } = await run(
    process.execPath,
    ['--openssl-legacy-provider', '--import', TSX, CHILD, ...args],
    { env, maxBuffer: 64 * MB },
  );
  const line = stdout.trim().split('\n').at(-1) ?? '{}';
  return JSON.parse(line) as ChildReport;
}

async function bench(readers: number): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'story-digest-delivery-bench-'));
  const dynamo = await FaultProxy.start('dynamodb');
  const sqsProxy = await FaultProxy.start('sqs');
  let gate: Awaited<ReturnType<typeof startSesGate>> | undefined;
  const runtime = await LocalRuntime.start({
    storyPath: DEFAULT_STORY,
    dataDir,
    sample: false,
    persistent: false,
    subscribers: [],
    sesMaxSendRate: RATE,
    endpoints: async (environment) => {
      dynamo.forwardTo(environment.AWS_ENDPOINT_URL_DYNAMODB ?? '');
      sqsProxy.forwardTo(environment.AWS_ENDPOINT_URL_SQS ?? '');
      gate = await startSesGate(
        environment.AWS_ENDPOINT_URL_SESV2 ?? '',
        Number.POSITIVE_INFINITY,
        'before-ses',
      );
      return {
        ...environment,
        AWS_ENDPOINT_URL_DYNAMODB: dynamo.url,
        AWS_ENDPOINT_URL_SQS: sqsProxy.url,
        AWS_ENDPOINT_URL_SESV2: gate.endpoint,
      };
    },
  });
  try {
    const storyId = runtime.story.id;
    const { batchWrite } = await import('../lambdas/adapters/dynamo-documents.js');
    const { subscriberKey } = await import('../lambdas/adapters/table-layout.js');
    const at = new Date().toISOString();
    const items = Array.from({ length: readers }, (_, i) => {
      const address = `reader${String(i).padStart(6, '0')}@example.org`;
      return {
        PutRequest: {
          Item: {
            ...subscriberKey(storyId, address),
            storyId,
            address,
            status: 'active',
            createdAt: at,
            confirmedAt: at,
          },
        },
      };
    });
    await batchWrite(runtime.aws.table, items);
    const operations = new Map<string, number>();
    const count = (service: string) => (request: { operation: string }) => {
      const key = `${service} ${request.operation}`;
      operations.set(key, (operations.get(key) ?? 0) + 1);
    };
    dynamo.observe(count('dynamodb'));
    sqsProxy.observe(count('sqs'));

    const week = '2019-W30';
    const env = { ...process.env, POWERTOOLS_LOG_LEVEL: 'ERROR' };
    const started = Date.now();
    const digest = await child(['digest', week], env);
    const queuedAt = Date.now();
    const senders = await Promise.all(
      Array.from({ length: SENDER_CONCURRENCY }, () => child(['deliver'], env)),
    );
    const finished = Date.now();

    const { queryAll } = await import('../lambdas/adapters/dynamo-documents.js');
    const { deliveryKey } = await import('../lambdas/adapters/table-layout.js');
    const ledger = await queryAll({
      TableName: runtime.aws.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :to)',
      ExpressionAttributeValues: { ':pk': deliveryKey(storyId, week, '').pk, ':to': 'TO#' },
      ProjectionExpression: '#status',
      ExpressionAttributeNames: { '#status': 'status' },
    });
    const ledgerSent = ledger.filter((item) => item.status === 'sent').length;
    const arrivals = [...(gate?.arrivals ?? [])].sort((a, b) => a - b);
    let peakPerSecond = 0;
    for (let i = 0, j = 0; j < arrivals.length; j += 1) {
      while ((arrivals[j] ?? 0) - (arrivals[i] ?? 0) >= 1000) i += 1;
      peakPerSecond = Math.max(peakPerSecond, j - i + 1);
    }
    const sentBySenders = senders.reduce((sum, s) => sum + Number(s.report.sent ?? 0), 0);
    const longest = Math.max(...senders.map((s) => Number(s.report.longestInvocationMs ?? 0)));
    const seconds = (finished - started) / 1000;
    const perReader = (n: number) => (n / readers).toFixed(3);
    const fromBench = ['dynamodb BatchWriteItem', 'dynamodb Query']; // setup and the ledger read
    console.log(
      `\n== ${readers.toLocaleString('en')} readers, SES MaxSendRate ${RATE}/s, ${SENDER_CONCURRENCY} senders`,
    );
    console.log(
      `time to all sent: ${seconds.toFixed(1)} s (digest run ${((queuedAt - started) / 1000).toFixed(1)} s, ` +
        `senders ${((finished - queuedAt) / 1000).toFixed(1)} s); at the rate alone: ${(readers / RATE).toFixed(1)} s; ` +
        `achieved ${(readers / seconds).toFixed(1)}/s`,
    );
    console.log(
      `sent: ${sentBySenders} by the senders, ${ledgerSent} sent in the ledger, ${arrivals.length} emails at SES ` +
        `(exactly once: ${sentBySenders === readers && ledgerSent === readers && arrivals.length === readers})`,
    );
    console.log(`peak sends in any 1 s at SES: ${peakPerSecond} (limit ${RATE})`);
    console.log(
      `longest sender invocation (one batch of 50): ${(longest / 1000).toFixed(1)} s (timeout 180 s)`,
    );
    let writes = 0;
    for (const [key, n] of [...operations].sort()) {
      const digestOnly = key === 'dynamodb Query' ? " (includes the bench's one ledger read)" : '';
      console.log(`  ${key}: ${n} (${perReader(n)} per reader)${digestOnly}`);
      if (key.startsWith('dynamodb ') && WRITES.has(key.slice(9)) && !fromBench.includes(key))
        writes += n;
    }
    console.log(`DynamoDB write requests (= WCU, items < 1 KB) per reader: ${perReader(writes)}`);
    const memory = (r: ChildReport) =>
      `peak RSS ${(r.maxRssBytes / MB).toFixed(0)} MB, peak heap ${(r.heapPeakBytes / MB).toFixed(1)} MB`;
    console.log(
      `digest function: ${memory(digest)}; queued ${JSON.stringify(digest.report.delivery)}`,
    );
    senders.forEach((s, i) => {
      console.log(
        `sender ${i + 1}: ${memory(s)}; ${s.report.batches} batches, ${s.report.sent} sent`,
      );
    });
  } finally {
    await runtime.stop();
    await gate?.close();
    await dynamo.close();
    await sqsProxy.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

for (const size of SIZES.length ? SIZES : [1_000, 10_000]) await bench(size);
