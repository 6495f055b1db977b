import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FetchRequest } from '../../lambdas/core/ports/fetch-queue.js';
import { LocalRuntime } from '../../local/local-runtime.js';
import { DEFAULT_STORY } from '../../local/project-paths.js';
import { FaultProxy } from '../support/fault-proxy.js';
import { quiet } from '../support/memory/log.js';
import { pipelineState, scanTable } from '../support/pipeline-state.js';

/**
 * Nothing lost between claiming and queueing: discovery runs in a child process on the sample
 * site and is SIGKILLed while its first enqueue hangs (an SQS proxy never answers it). Its URLs
 * are claimed, pending until its deadline, none queued. A request that found a URL before that
 * deadline is refused (the run could still be alive and about to queue it); the first run after
 * it takes every URL over and queues each once.
 */
const CHILD_LEASE_MS = 1_500;
const CHILD = fileURLToPath(new URL('../support/handler-child.ts', import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const WEEK = '2019-W29';

describe('discovery killed between claiming and queueing', () => {
  let dataDir: string;
  let runtime: LocalRuntime;
  let sqsProxy: FaultProxy;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'story-digest-discovery-crash-'));
    sqsProxy = await FaultProxy.start('sqs');
    runtime = await LocalRuntime.start({
      storyPath: DEFAULT_STORY,
      dataDir,
      sample: true,
      subscribers: [],
      persistent: false,
    });
    sqsProxy.forwardTo(runtime.aws.environment.AWS_ENDPOINT_URL_SQS ?? '');
  });

  afterAll(async () => {
    await runtime?.stop();
    await sqsProxy?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Discovery in its own process, killed once its first enqueue is under way. */
  async function killBetweenClaimAndQueue(): Promise<void> {
    const hung = sqsProxy.inject({
      match: 'SendMessageBatch',
      fault: 'hold',
      times: Number.POSITIVE_INFINITY,
    });
    let child: ChildProcess | undefined;
    try {
      child = spawn(
        process.execPath,
        [
          '--openssl-legacy-provider',
          '--import',
          TSX,
          CHILD,
          'discover',
          '{}',
          String(CHILD_LEASE_MS),
        ],
        { env: { ...process.env, AWS_ENDPOINT_URL_SQS: sqsProxy.url }, stdio: 'pipe' },
      );
      let stderr = '';
      child.stderr?.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      const exited = new Promise<number | null>((resolve) => child?.once('exit', resolve));
      const outcome = await Promise.race([
        hung.fired.then(() => 'enqueue hung' as const),
        exited.then((code) => `exited with ${code}: ${stderr}`),
      ]);
      expect(outcome).toBe('enqueue hung');
      child.kill('SIGKILL');
      await exited;
    } finally {
      if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      sqsProxy.reset();
    }
  }

  async function urlItems(): Promise<Record<string, unknown>[]> {
    const { documents } = await import('../../lambdas/adapters/dynamo-documents.js');
    return (await scanTable(documents, runtime.aws.table)).filter((item) => item.sk === 'URL');
  }

  async function messagesQueued(): Promise<number> {
    const sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
    try {
      const { Attributes } = await sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: runtime.aws.queueUrl,
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
        }),
      );
      return (
        Number(Attributes?.ApproximateNumberOfMessages ?? 0) +
        Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0)
      );
    } finally {
      sqs.destroy();
    }
  }

  it('leaves pending claims and nothing queued; the first run after the dead run’s deadline queues every link once', async () => {
    await killBetweenClaimAndQueue();
    const claimed = await urlItems();
    expect(claimed.length).toBeGreaterThan(0);
    expect(claimed.every((item) => typeof item.pendingUntil === 'string')).toBe(true);
    expect(await messagesQueued()).toBe(0);
    const leaseEnd = Math.max(...claimed.map((item) => Date.parse(String(item.pendingUntil))));

    // A request that found a URL while the dead run might still have been alive is refused.
    const { DynamoUrlLedger } = await import('../../lambdas/adapters/dynamo-url-ledger.js');
    const ledger = new DynamoUrlLedger(runtime.aws.table);
    const [first] = claimed as unknown as FetchRequest[];
    const before = {
      storyId: runtime.story.id,
      sourceId: 'another-run',
      url: String(first?.url),
      firstSeenAt: new Date(leaseEnd - 1).toISOString(),
    };
    expect(await ledger.isKnownUrl(before)).toBe(true);
    expect(
      await ledger.claimUrl(before, { leaseUntil: new Date(leaseEnd + 1).toISOString() }),
    ).toBe(false);

    // The next scheduled run, after the dead run's deadline: every on-story link, once.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, leaseEnd - Date.now()) + 20));
    const next = await runtime.handlers.discover.handler();
    expect(next.failures).toEqual([]);
    expect(next.alreadyKnown).toBe(0);
    expect(next.queued).toBe(next.itemsSeen - next.offStory);
    expect(next.queued).toBeGreaterThanOrEqual(claimed.length);
    expect((await urlItems()).filter((item) => item.pendingUntil !== undefined)).toEqual([]);

    const fetched = await runtime.drainFetchQueue(quiet);
    expect(fetched).toMatchObject({ delivered: next.queued, deadLettered: [] });
    const state = await pipelineState(runtime, WEEK);
    expect(Object.keys(state.articles).length).toBeGreaterThanOrEqual(12);
    expect(Object.values(state.articles).every((count) => count === 1)).toBe(true);

    // And the run after that finds them all known.
    expect(await runtime.handlers.discover.handler()).toMatchObject({
      queued: 0,
      alreadyKnown: next.queued,
    });
  });
});
