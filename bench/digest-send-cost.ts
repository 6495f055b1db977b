/**
 * What one more subscriber costs a digest run: the DynamoDB requests and capacity units (as
 * DynamoDB Local reports them, ReturnConsumedCapacity) and SES sends of the digest handler, run
 * on the local servers for a week with 1 and then with 1 + N active subscribers (added as a
 * sign-up would leave them, not through the stack's seed). The difference divided by N is the
 * cost per recipient; the 1-subscriber run is the fixed part (composing, archiving). Also the
 * log bytes the digest run writes, at the Lambda default level.
 *
 *   npx tsx bench/digest-send-cost.ts [N]      (default 300)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalRuntime } from '../local/local-runtime.js';
import { DEFAULT_STORY } from '../local/project-paths.js';

const EXTRA = Number(process.argv[2] ?? 300);
const STORY = 's400-turkey';

type ConsumedCapacity = { CapacityUnits?: number };
const READS = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan']);
const totals = { requests: {} as Record<string, number>, read: 0, write: 0, refused: 0 };

process.env.POWERTOOLS_LOG_LEVEL ??= 'INFO';
const dataDir = mkdtempSync(join(tmpdir(), 'story-digest-bench-send-'));
const runtime = await LocalRuntime.start({
  storyPath: DEFAULT_STORY,
  dataDir,
  sample: false,
  subscribers: [],
  persistent: false,
});
try {
  // The module the handlers already loaded: one client, counted from here on.
  const { documents } = await import('../lambdas/adapters/dynamo-documents.js');
  const { DynamoSubscriberStore } = await import('../lambdas/adapters/dynamo-subscribers.js');
  documents.middlewareStack.add(
    (next, context) => async (args) => {
      const operation = String(context.commandName).replace(/Command$/, '');
      totals.requests[operation] = (totals.requests[operation] ?? 0) + 1;
      (args.input as { ReturnConsumedCapacity?: string }).ReturnConsumedCapacity = 'TOTAL';
      try {
        const result = await next(args);
        const consumed = (result.output as { ConsumedCapacity?: ConsumedCapacity })
          .ConsumedCapacity;
        for (const entry of [consumed ?? []].flat()) {
          if (READS.has(operation)) totals.read += entry.CapacityUnits ?? 0;
          else totals.write += entry.CapacityUnits ?? 0;
        }
        return result;
      } catch (error) {
        if ((error as Error).name === 'ConditionalCheckFailedException') totals.refused += 1;
        throw error;
      }
    },
    { step: 'initialize', name: 'countRequests' },
  );
  const store = new DynamoSubscriberStore(runtime.aws.table);
  const add = async (addresses: string[]) => {
    const at = new Date().toISOString();
    for (const address of addresses) {
      await store.addSubscriber({ storyId: STORY, address, status: 'active', createdAt: at });
    }
  };
  /** One digest run, counted, with its stdout bytes (the JSON log lines). */
  const run = async (week: string) => {
    Object.assign(totals, { requests: {}, read: 0, write: 0, refused: 0 });
    let logBytes = 0;
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string | Uint8Array) => {
      logBytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength;
      return true;
    }) as typeof process.stdout.write;
    try {
      const result = await runtime.handlers.digest.handler({ week });
      return { result, logBytes, ...structuredClone(totals) };
    } finally {
      process.stdout.write = write;
    }
  };

  await add(['one@example.org']);
  const one = await run('2019-W28');
  await add(Array.from({ length: EXTRA }, (_, index) => `reader-${index}@example.org`));
  const many = await run('2019-W29');
  const per = (a: number, b: number) => ((b - a) / EXTRA).toFixed(2);
  const ops = new Set([...Object.keys(one.requests), ...Object.keys(many.requests)]);
  console.log(`digest run, 1 subscriber: sent ${one.result.sent}, DynamoDB requests`, one.requests);
  console.log(
    `  ${one.write} write units, ${one.read} read units, ${one.refused} refused conditional writes, ${one.logBytes} bytes of log`,
  );
  console.log(`digest run, ${1 + EXTRA} subscribers: sent ${many.result.sent}`, many.requests);
  console.log(
    `  ${many.write} write units, ${many.read} read units, ${many.refused} refused conditional writes, ${many.logBytes} bytes of log`,
  );
  console.log(
    `per additional recipient: ${per(one.write, many.write)} write units, ${per(one.read, many.read)} read units, ` +
      `${per(one.refused, many.refused)} refused writes, ${per(one.logBytes, many.logBytes)} bytes of log; requests ` +
      [...ops]
        .map((op) => `${op} ${per(one.requests[op] ?? 0, many.requests[op] ?? 0)}`)
        .join(', '),
  );
} finally {
  await runtime.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
