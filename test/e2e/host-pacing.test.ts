import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoHostPacer as Pacer } from '../../lambdas/adapters/dynamo-host-pacer.js';
import { NodeHttpClient } from '../../lambdas/adapters/http-client.js';
import { PoliteHttpClient } from '../../lambdas/adapters/polite-http.js';
import { type LocalAws, startLocalAws } from '../../lambdas/local/local-aws.js';

/**
 * Pacing that holds across Lambda containers: two independent clients (two "containers") share
 * the DynamoDB host pacer, and the server sees their requests to one host spaced by the delay.
 */
const DELAY_MS = 120;

describe('host pacing shared through DynamoDB', () => {
  let aws: LocalAws;
  let dataDir: string;
  let server: Server;
  let origin: string;
  const arrivals: number[] = [];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'story-digest-pacing-'));
    aws = await startLocalAws({ dataDir, persistent: false });
    Object.assign(process.env, aws.environment);
    server = createServer((request, response) => {
      if (request.url !== '/robots.txt') arrivals.push(performance.now());
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
    const container = (pacer: Pacer) =>
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
    const first = container(new DynamoHostPacer(aws.table));
    const second = container(new DynamoHostPacer(aws.table));
    await Promise.all(
      Array.from({ length: 6 }, (_, index) =>
        (index % 2 ? first : second).get(`${origin}/page/${index}`),
      ),
    );
    expect(arrivals).toHaveLength(6);
    const sorted = [...arrivals].sort((a, b) => a - b);
    const gaps = sorted.slice(1).map((time, index) => time - (sorted[index] ?? 0));
    // A lower bound only: a busy machine makes gaps longer, never shorter.
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(DELAY_MS - 15);
  });
});
