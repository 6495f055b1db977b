import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoHostPacer as Pacer } from '../../lambdas/adapters/dynamo-host-pacer.js';
import { NodeHttpClient } from '../../lambdas/adapters/http-client.js';
import { PoliteHttpClient } from '../../lambdas/adapters/polite-http.js';
import { HostClosedError } from '../../lambdas/core/model/errors.js';
import type { HostPacer } from '../../lambdas/core/ports/http.js';
import { type LocalAws, startLocalAws } from '../../local/local-aws.js';

/**
 * Pacing that holds across Lambda containers: two independent clients (two "containers") share
 * the DynamoDB host pacer, which hands out start slots spaced by the delay, and no request
 * reaches the host before its slot. (Arrival gaps themselves are not compared: a busy machine
 * can delay one request's sending and so bring it closer to the next.)
 */
const DELAY_MS = 120;

describe('host pacing shared through DynamoDB', () => {
  let aws: LocalAws;
  let dataDir: string;
  let server: Server;
  let origin: string;
  const arrivals: { at: number; page: boolean }[] = [];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'story-digest-pacing-'));
    aws = await startLocalAws({ dataDir, persistent: false });
    Object.assign(process.env, aws.environment);
    server = createServer((request, response) => {
      arrivals.push({ at: Date.now(), page: request.url !== '/robots.txt' });
      response.writeHead(request.url === '/robots.txt' ? 404 : 200).end('ok');
    });
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((closed) => server?.close(closed));
    await aws?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const container = (pacer: HostPacer) =>
    new PoliteHttpClient(
      new NodeHttpClient({
        userAgent: 'story-digest-test',
        connectTimeoutMs: 2_000,
        headersTimeoutMs: 2_000,
        totalTimeoutMs: 5_000,
        maxBytes: 10_000,
        maxDecodedBytes: 10_000,
        allowPrivateNetworks: true,
      }),
      {
        robotsAgent: 'story-digest',
        hostDelayMs: DELAY_MS,
        maxConcurrency: 4,
        maxRetries: 0,
        baseBackoffMs: 10,
        maxRetryWaitMs: 1_000,
        robotsTtlMs: 60_000,
        pacer,
      },
    );

  it('spaces requests to one host by the delay across two containers', async () => {
    const { DynamoHostPacer } = await import('../../lambdas/adapters/dynamo-host-pacer.js');
    const slots: number[] = [];
    const recording = (pacer: Pacer): HostPacer => ({
      reserve: async (host, delayMs) => {
        const turn = await pacer.reserve(host, delayMs);
        if ('at' in turn) slots.push(turn.at);
        return turn;
      },
      failed: (host, at) => pacer.failed(host, at),
      recovered: (host, at) => pacer.recovered(host, at),
      close: (host, until, reason) => pacer.close(host, until, reason),
    });
    const first = container(recording(new DynamoHostPacer(aws.table)));
    const second = container(recording(new DynamoHostPacer(aws.table)));
    await Promise.all(
      Array.from({ length: 6 }, (_, index) =>
        (index % 2 ? first : second).get(`${origin}/page/${index}`),
      ),
    );
    // Six pages, and robots.txt: every request to the host is paced.
    expect(arrivals.filter((arrival) => arrival.page)).toHaveLength(6);
    expect(slots).toHaveLength(arrivals.length);
    const byTime = (values: number[]) => [...values].sort((a, b) => a - b);
    const [sortedSlots, sortedArrivals] = [byTime(slots), byTime(arrivals.map(({ at }) => at))];
    sortedSlots.slice(1).forEach((slot, index) => {
      expect(slot - (sortedSlots[index] ?? 0)).toBeGreaterThanOrEqual(DELAY_MS);
    });
    // Each request is sent at or after its own slot, so the i-th arrival follows the i-th slot.
    sortedArrivals.forEach((arrival, index) => {
      expect(arrival).toBeGreaterThanOrEqual(sortedSlots[index] ?? Number.POSITIVE_INFINITY);
    });
  });

  it('pauses a host that asked for a long Retry-After, for every container', async () => {
    const { DynamoHostPacer } = await import('../../lambdas/adapters/dynamo-host-pacer.js');
    const seen: string[] = [];
    const busy = createServer((request, response) => {
      seen.push(request.url ?? '');
      if (request.url === '/robots.txt') return void response.writeHead(404).end();
      if (request.url === '/busy')
        return void response.writeHead(429, { 'retry-after': '3600' }).end();
      response.writeHead(200).end('ok');
    });
    await new Promise<void>((listening) => busy.listen(0, '127.0.0.1', listening));
    const busyOrigin = `http://127.0.0.1:${(busy.address() as AddressInfo).port}`;
    try {
      const first = container(new DynamoHostPacer(aws.table));
      await expect(first.get(`${busyOrigin}/busy`)).rejects.toThrow(
        /Retry-After 3600 s is longer than this run waits; host 127\.0\.0\.1:\d+ paused until/,
      );
      const second = container(new DynamoHostPacer(aws.table));
      const refused = await second.get(`${busyOrigin}/page`).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(refused).toBeInstanceOf(HostClosedError);
      expect(seen).toEqual(['/robots.txt', '/busy']); // the second container never asked
    } finally {
      await new Promise((closed) => busy.close(closed));
    }
  });

  it('gives up on a host that failed every request, for every container', async () => {
    const { DynamoHostPacer } = await import('../../lambdas/adapters/dynamo-host-pacer.js');
    const dead = 'http://127.0.0.1:1'; // nothing listens: connection refused
    const first = container(new DynamoHostPacer(aws.table));
    const second = container(new DynamoHostPacer(aws.table));
    await expect(first.get(`${dead}/a`)).rejects.toThrow(/connection refused/);
    await expect(second.get(`${dead}/b`)).rejects.toThrow(/connection refused/);
    // Two failures and no success, whichever container saw them: the host is given up.
    const refused = await first.get(`${dead}/c`).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(HostClosedError);
    expect((refused as Error).message).toMatch(
      /host 127\.0\.0\.1:1 given up: its last 2 requests failed \(.*connection refused/,
    );
  });
});
