import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoHostPacer as Pacer } from '../../lambdas/adapters/dynamo-host-pacer.js';
import { NodeHttpClient } from '../../lambdas/adapters/http-client.js';
import { PoliteHttpClient } from '../../lambdas/adapters/polite-http.js';
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

  it('spaces requests to one host by the delay across two containers', async () => {
    const { DynamoHostPacer } = await import('../../lambdas/adapters/dynamo-host-pacer.js');
    const slots: number[] = [];
    const recording = (pacer: Pacer): HostPacer => ({
      reserve: async (host, delayMs) => {
        const slot = await pacer.reserve(host, delayMs);
        slots.push(slot);
        return slot;
      },
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
});
