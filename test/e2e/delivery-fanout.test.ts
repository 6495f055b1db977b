import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  ChangeMessageVisibilityCommand,
  type Message,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoSubscriberStore } from '../../lambdas/adapters/dynamo-subscribers.js';
import { LocalRuntime } from '../../local/local-runtime.js';
import { DEFAULT_STORY } from '../../local/project-paths.js';
import { sqsEventOf } from '../../local/sqs-event.js';
import { type SesGate, startSesGate } from '../support/ses-gate.js';
import { digestsByRecipient, outboxMessages } from '../support/ses-store.js';

/**
 * The week's delivery through the fan-out, on the local servers: the digest run queues batches
 * of 50 readers on the delivery queue (fauxqs), the sender handler delivers them through SES (the
 * emulator, behind a gate that can hold or throttle a send), with the ledger in DynamoDB Local.
 * Each reader gets each week once; nobody who left gets it.
 */
const READERS = Array.from(
  { length: 60 },
  (_, i) => `reader${String(i).padStart(3, '0')}@example.org`,
);
const FIRST_BATCH = READERS.slice(0, 50);
/** The killed sender's remaining time: its claims are leased that long. */
const CHILD_LEASE_MS = 12_000;
const CHILD = fileURLToPath(new URL('../support/handler-child.ts', import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

describe('digest delivery through the queue', () => {
  let dataDir: string;
  let runtime: LocalRuntime;
  let sesGate: SesGate | undefined;
  let sqs: SQSClient;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'story-digest-fanout-'));
    runtime = await LocalRuntime.start({
      storyPath: DEFAULT_STORY,
      dataDir,
      sample: false,
      persistent: false,
      subscribers: READERS,
      // High enough that the tests do not wait on it; the bench measures the rate itself.
      sesMaxSendRate: 200,
      endpoints: async (environment) => {
        sesGate = await startSesGate(
          environment.AWS_ENDPOINT_URL_SESV2 ?? '',
          Number.POSITIVE_INFINITY,
          'before-ses',
        );
        return { ...environment, AWS_ENDPOINT_URL_SESV2: sesGate.endpoint };
      },
    });
    sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
  });

  afterAll(async () => {
    sqs?.destroy();
    await runtime?.stop();
    await sesGate?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const counts = async (week: string) => {
    const byRecipient = await digestsByRecipient(runtime.aws.sesEndpoint, week);
    return Object.fromEntries(READERS.map((to) => [to, byRecipient.get(to)?.length ?? 0]));
  };
  const once = (readers: readonly string[]) =>
    Object.fromEntries(READERS.map((to) => [to, readers.includes(to) ? 1 : 0]));

  /** The next batch on the delivery queue, taken as Lambda's poller would. */
  const receiveBatch = async (): Promise<Message> => {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: runtime.aws.deliveryQueueUrl,
        MaxNumberOfMessages: 1,
        MessageSystemAttributeNames: ['All'],
      }),
    );
    const [message] = Messages;
    if (!message) throw new Error('no batch on the delivery queue');
    return message;
  };
  /** SQS makes a message visible again once its visibility timeout ends: now, here. */
  const redeliverLater = (message: Message) =>
    sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: runtime.aws.deliveryQueueUrl,
        ReceiptHandle: message.ReceiptHandle ?? '',
        VisibilityTimeout: 0,
      }),
    );

  it('queues the week in batches of 50 and sends each reader one email with their own unsubscribe link', async () => {
    const week = '2019-W20';
    const result = await runtime.digest({ week });
    expect(result).toMatchObject({
      queuedNow: READERS.length,
      delivery: {
        queued: READERS.length,
        sent: READERS.length,
        suppressed: 0,
        failed: 0,
        pending: 0,
      },
    });
    expect(result.drained).toMatchObject({ batches: 2, failedBatches: 0, setAside: {} });
    expect(await counts(week)).toEqual(once(READERS));
    const mine = outboxMessages(runtime.aws.outbox.directory).filter((message) =>
      message.header('Subject')?.includes(week),
    );
    expect(mine).toHaveLength(READERS.length);
    for (const message of mine) {
      const to = message.header('To') ?? '';
      const link = /<([^>]+)>/.exec(message.header('List-Unsubscribe') ?? '')?.[1] ?? '';
      expect(new URL(link).searchParams.get('address')).toBe(to);
      expect(message.header('List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
      // The same link in the footer of the HTML part.
      expect(message.html).toContain(encodeURIComponent(to));
    }

    // The schedule's retry, or an operator running the week again: nobody queued or sent twice.
    const again = await runtime.digest({ week });
    expect(again).toMatchObject({ queuedNow: 0, delivery: { sent: READERS.length, pending: 0 } });
    expect(again.drained.batches).toBe(0);
    expect(await counts(week)).toEqual(once(READERS));
  });

  it('passes the readers of a redelivered batch that were already sent', async () => {
    const week = '2019-W21';
    await runtime.handlers.digest.handler({ week });
    const message = await receiveBatch();
    const first = await runtime.handlers.deliver.handler(sqsEventOf([message]));
    const batch = JSON.parse(message.Body ?? '{}') as { recipients: string[] };
    expect(first.outcomes[0]?.sent).toEqual(batch.recipients);
    // SQS delivers at least once: the same message again, as if its deletion had been lost.
    const second = await runtime.handlers.deliver.handler(sqsEventOf([message]));
    expect(second.outcomes[0]).toMatchObject({ sent: [], alreadySent: batch.recipients });
    await redeliverLater(message);
    const drained = await runtime.drainDeliveryQueue();
    expect(drained.alreadySent.sort()).toEqual([...batch.recipients].sort());
    expect(drained.sent).toHaveLength(READERS.length - batch.recipients.length);
    expect(await counts(week)).toEqual(once(READERS));
  });

  async function killSenderMidBatch(
    message: Message,
    pass: number,
    stopAt: 'before-ses' | 'after-ses',
  ) {
    const gate = await startSesGate(runtime.aws.sesEndpoint, pass, stopAt);
    let child: ChildProcess | undefined;
    try {
      child = spawn(
        process.execPath,
        [
          '--openssl-legacy-provider',
          '--import',
          TSX,
          CHILD,
          'deliver',
          JSON.stringify(sqsEventOf([message])),
          String(CHILD_LEASE_MS),
        ],
        {
          env: {
            ...process.env,
            AWS_ENDPOINT_URL_SESV2: gate.endpoint,
            DELIVERY_SEND_MARGIN_MS: '1000',
          },
          stdio: 'pipe',
        },
      );
      let stderr = '';
      child.stderr?.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      const exited = new Promise<number | null>((resolve) => child?.once('exit', resolve));
      const outcome = await Promise.race([
        gate.stopped.then(() => 'stopped' as const),
        exited.then((code) => `exited with ${code}: ${stderr}`),
      ]);
      expect(outcome).toBe('stopped');
      child.kill('SIGKILL');
      await exited;
    } finally {
      if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await gate.close();
    }
  }

  it('takes over the batch of a sender killed half-way through it: every reader exactly once', async () => {
    const week = '2019-W22';
    await runtime.handlers.digest.handler({ week });
    const message = await receiveBatch();
    const batch = JSON.parse(message.Body ?? '{}') as { recipients: string[] };
    const half = batch.recipients.slice(0, Math.floor(batch.recipients.length / 2));
    await killSenderMidBatch(message, half.length, 'before-ses');
    expect(await counts(week)).toEqual(once(half));

    // The message comes back once its visibility timeout ends; the dead sender's claim on the
    // next reader is taken over when its lease ends.
    await redeliverLater(message);
    const drained = await runtime.drainDeliveryQueue();
    expect(drained.setAside).toEqual({});
    expect(drained.alreadySent.sort()).toEqual(half);
    expect(await counts(week)).toEqual(once(READERS));
  });

  it('sends twice only to the one reader SES accepted just before the sender died (the documented window)', async () => {
    const week = '2019-W23';
    await runtime.handlers.digest.handler({ week });
    const message = await receiveBatch();
    const batch = JSON.parse(message.Body ?? '{}') as { recipients: string[] };
    const half = Math.floor(batch.recipients.length / 2);
    await killSenderMidBatch(message, half, 'after-ses');
    await redeliverLater(message);
    await runtime.drainDeliveryQueue();
    const twice = batch.recipients[half] ?? '';
    expect(await counts(week)).toEqual({ ...once(READERS), [twice]: 2 });
  });

  it('backs off when SES throttles a batch and loses no reader', async () => {
    const week = '2019-W24';
    const throttledBefore = sesGate?.throttled ?? 0;
    // Every send to the first batch's readers is refused, four times in all, then accepted.
    sesGate?.throttle(FIRST_BATCH, 4);
    const result = await runtime.digest({ week });
    sesGate?.throttle(undefined);
    expect((sesGate?.throttled ?? 0) - throttledBefore).toBe(4);
    expect(result.drained.throttled).toBe(4);
    expect(result.delivery).toMatchObject({ sent: READERS.length, failed: 0, pending: 0 });
    expect(await counts(week)).toEqual(once(READERS));
  });

  it('re-queues a reader SES keeps throttling, then sets them aside in the DLQ with the reason', async () => {
    const week = '2019-W25';
    const stuck = READERS[55] ?? '';
    sesGate?.throttle(stuck);
    const result = await runtime.digest({ week });
    sesGate?.throttle(undefined);
    expect(Object.keys(result.drained.setAside)).toEqual([stuck]);
    expect(result.drained.setAside[stuck]).toMatch(/throttled by SES/);
    expect(result.delivery).toMatchObject({ sent: READERS.length - 1, failed: 1, pending: 0 });
    expect(await counts(week)).toEqual(once(READERS.filter((to) => to !== stuck)));
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: runtime.aws.deliveryDlqUrl, MaxNumberOfMessages: 10 }),
    );
    expect(Messages.map((dead) => JSON.parse(dead.Body ?? '{}'))).toEqual([
      expect.objectContaining({
        week,
        recipients: [stuck],
        reasons: { [stuck]: expect.any(String) },
      }),
    ]);
  });

  it('does not send to a reader who unsubscribes while the week is being delivered', async () => {
    const week = '2019-W26';
    await runtime.handlers.digest.handler({ week });
    // The first batch goes out; then a reader of the other one unsubscribes.
    const message = await receiveBatch();
    const first = await runtime.handlers.deliver.handler(sqsEventOf([message]));
    const served = first.outcomes[0]?.sent ?? [];
    const leaving = READERS.find((to) => !served.includes(to)) ?? '';
    const store = new DynamoSubscriberStore(runtime.aws.table);
    await store.unsubscribe(runtime.story.id, leaving, new Date().toISOString());
    await redeliverLater(message);
    const drained = await runtime.drainDeliveryQueue();
    expect(drained.suppressed).toEqual([leaving]);
    expect(await counts(week)).toEqual(once(READERS.filter((to) => to !== leaving)));
    const { DynamoDeliveryRuns } = await import('../../lambdas/adapters/dynamo-delivery-runs.js');
    expect(
      await new DynamoDeliveryRuns(runtime.aws.table).get(runtime.story.id, week),
    ).toMatchObject({
      queued: READERS.length,
      sent: READERS.length - 1,
      suppressed: 1,
      failed: 0,
    });
  });
});
