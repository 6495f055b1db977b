import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DigestDeliveryError } from '../../lambdas/core/model/errors.js';
import { LocalRuntime } from '../../local/local-runtime.js';
import { DEFAULT_STORY } from '../../local/project-paths.js';
import { type SesGate, startSesGate } from '../support/ses-gate.js';
import { digestsByRecipient } from '../support/ses-store.js';

/**
 * Exactly once across a crash: the digest runs in a child process against the local servers,
 * is SIGKILLed after half of its recipients' emails reached the SES emulator, and is invoked
 * again. A loopback gate in front of SES stops the child's next send at a known point, so the
 * kill always lands in the same place.
 *
 * And nothing silent: when SES refuses one reader, the invocation fails after serving the
 * others (so Lambda retries it), and the retry sends to that reader only. The handlers of this
 * process reach SES through a gate that can throttle one address, as SES does.
 */
const RECIPIENTS = Array.from(
  { length: 10 },
  (_, i) => `reader${String(i).padStart(2, '0')}@example.org`,
);
const HALF = RECIPIENTS.length / 2;
/** The killed invocation's remaining time: its claims are leased that long. */
const CHILD_LEASE_MS = 3_000;
const CHILD = fileURLToPath(new URL('../support/handler-child.ts', import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

describe('a digest killed mid-list and invoked again', () => {
  let dataDir: string;
  let runtime: LocalRuntime;
  /** In front of SES for this process's handlers: passes everything unless told to throttle. */
  let sesGate: SesGate | undefined;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'story-digest-crash-'));
    runtime = await LocalRuntime.start({
      storyPath: DEFAULT_STORY,
      dataDir,
      sample: false,
      subscribers: RECIPIENTS, // the seed: every one of them active
      endpoints: async (environment) => {
        sesGate = await startSesGate(
          environment.AWS_ENDPOINT_URL_SESV2 ?? '',
          Number.POSITIVE_INFINITY,
          'before-ses',
        );
        return { ...environment, AWS_ENDPOINT_URL_SESV2: sesGate.endpoint };
      },
    });
  });

  afterAll(async () => {
    await runtime?.stop();
    await sesGate?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function killMidList(week: string, stopAt: 'before-ses' | 'after-ses'): Promise<void> {
    const gate = await startSesGate(runtime.aws.sesEndpoint, HALF, stopAt);
    let child: ChildProcess | undefined;
    try {
      child = spawn(
        process.execPath,
        [
          '--openssl-legacy-provider',
          '--import',
          TSX,
          CHILD,
          'digest',
          JSON.stringify({ week }),
          String(CHILD_LEASE_MS),
        ],
        { env: { ...process.env, AWS_ENDPOINT_URL_SESV2: gate.endpoint }, stdio: 'pipe' },
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

  /** Lambda's next invocation, with a minute to run: time to wait out the dead one's lease. */
  const reinvoke = (week: string) =>
    runtime.handlers.digest.handler({ week }, { getRemainingTimeInMillis: () => 60_000 });

  it('sends every recipient exactly one email', async () => {
    const week = '2019-W10';
    await killMidList(week, 'before-ses');
    const before = await digestsByRecipient(runtime.aws.sesEndpoint, week);
    expect([...before.keys()].sort()).toEqual(RECIPIENTS.slice(0, HALF));

    const result = await reinvoke(week);
    // The sixth was claimed by the dead invocation: taken over once its lease ended.
    expect(result).toMatchObject({ sent: HALF, alreadySent: HALF, inFlight: 0, failed: [] });

    const after = await digestsByRecipient(runtime.aws.sesEndpoint, week);
    expect(RECIPIENTS.map((to) => [to, after.get(to)?.length ?? 0])).toEqual(
      RECIPIENTS.map((to) => [to, 1]),
    );
    // And a third invocation finds everyone served.
    expect(await reinvoke(week)).toMatchObject({ sent: 0, alreadySent: RECIPIENTS.length });
  });

  it('sends twice only to the one reader whose email SES accepted just before the crash (at-least-once)', async () => {
    const week = '2019-W11';
    await killMidList(week, 'after-ses');
    const result = await reinvoke(week);
    expect(result).toMatchObject({ sent: HALF, alreadySent: HALF, failed: [] });
    const after = await digestsByRecipient(runtime.aws.sesEndpoint, week);
    const counts = Object.fromEntries(RECIPIENTS.map((to) => [to, after.get(to)?.length ?? 0]));
    expect(counts).toEqual(Object.fromEntries(RECIPIENTS.map((to, i) => [to, i === HALF ? 2 : 1])));
  });

  it('fails the invocation when SES throttles one reader, after serving the others; the retry sends to that reader only', async () => {
    const week = '2019-W12';
    const throttled = RECIPIENTS[3] ?? '';
    sesGate?.throttle(throttled);
    const failure = await reinvoke(week).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(DigestDeliveryError);
    expect(failure).toMatchObject({
      week,
      failed: [{ recipient: throttled, reason: `sending to ${throttled} failed` }],
      inFlight: [],
    });
    expect((failure as Error).message).toMatch(
      new RegExp(`^digest ${week}: not delivered to 1 recipient\\(s\\): ${throttled} `),
    );
    expect(sesGate?.throttled).toBeGreaterThanOrEqual(1); // the SDK's own retries were refused too
    const served = await digestsByRecipient(runtime.aws.sesEndpoint, week);
    expect([...served.keys()].sort()).toEqual(RECIPIENTS.filter((to) => to !== throttled));

    // Lambda's retry of the failed invocation, once SES accepts again: that reader only.
    sesGate?.throttle(undefined);
    expect(await reinvoke(week)).toMatchObject({
      sent: 1,
      alreadySent: RECIPIENTS.length - 1,
      inFlight: 0,
      failed: [],
    });
    const after = await digestsByRecipient(runtime.aws.sesEndpoint, week);
    expect(RECIPIENTS.map((to) => [to, after.get(to)?.length ?? 0])).toEqual(
      RECIPIENTS.map((to) => [to, 1]),
    );
  });
});
