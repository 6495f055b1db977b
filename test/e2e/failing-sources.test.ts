import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LocalRuntime } from '../../local/local-runtime.js';
import { SAMPLE_SITE_DIR } from '../../local/project-paths.js';
import { developmentsBetween, type LocalStory, startLocalStory } from '../support/local-story.js';
import { quiet } from '../support/memory/log.js';

/**
 * Bad input never stops a cycle: an unreachable feed, a feed that is not XML, a page that keeps
 * failing and a page that is gone are each reported with their URL and reason, and the good
 * article of the same run is still stored.
 */
const ARTICLE = join(
  SAMPLE_SITE_DIR,
  'meridian-defence/news/first-s400-parts-arrive-murted-ankara.html',
);

describe('a cycle with failing sources and pages', () => {
  let stack: LocalStory;
  let runtime: LocalRuntime;
  let server: Server;
  let origin: string;
  let unreachable: string;
  const hits = new Map<string, number>();

  beforeAll(async () => {
    server = createServer((request, response) => {
      const path = request.url ?? '/';
      hits.set(path, (hits.get(path) ?? 0) + 1);
      if (path === '/good/feed.xml') {
        const items = ['article.html', 'broken.html', 'gone.html']
          .map((page) => `<item><title>${page}</title><link>${origin}/good/${page}</link></item>`)
          .join('');
        response
          .writeHead(200, { 'content-type': 'application/rss+xml' })
          .end(`<rss><channel>${items}</channel></rss>`);
      } else if (path === '/bad/feed.xml') {
        response
          .writeHead(200, { 'content-type': 'text/html' })
          .end('<html><body>Service unavailable</body></html>');
      } else if (path === '/good/article.html') {
        const page = readFileSync(ARTICLE, 'utf8').replaceAll('{{origin}}', origin);
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
      } else if (path === '/good/broken.html') {
        response.writeHead(500).end('internal error');
      } else {
        response.writeHead(404).end('not found');
      }
    });
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    unreachable = `http://127.0.0.1:${await closedPort()}/feed.xml`;

    stack = await startLocalStory(
      'faults',
      [
        { id: 'unreachable', type: 'rss', url: unreachable },
        { id: 'malformed', type: 'rss', url: `${origin}/bad/feed.xml` },
        { id: 'good', type: 'rss', url: `${origin}/good/feed.xml`, outlet: 'Good Feed' },
      ],
      { allowPrivateNetworks: true, hostDelayMs: 0, maxRetries: 1, retryBaseMs: 10 },
    );
    runtime = stack.runtime;
  });

  afterAll(async () => {
    await stack?.close();
    await new Promise((closed) => server?.close(closed));
  });

  it('logs each failing feed with its URL and reason and reads the others', async () => {
    const stderr = vi.spyOn(process.stderr, 'write');
    const discovered = await runtime.handlers.discover.handler();
    const logged = stderr.mock.calls.map(([chunk]) => String(chunk)).join('');
    stderr.mockRestore();

    expect(discovered.failures).toEqual([
      { sourceId: 'unreachable', url: unreachable, reason: expect.stringMatching(/ECONNREFUSED/) },
      {
        sourceId: 'malformed',
        url: `${origin}/bad/feed.xml`,
        reason: expect.stringMatching(/root element <html>/),
      },
    ]);
    expect(discovered.queued).toBe(3);
    for (const failure of discovered.failures) {
      expect(logged).toContain(`"url":"${failure.url}"`);
    }
    const { DynamoSourceStates } = await import('../../lambdas/adapters/dynamo-source-states.js');
    const health = await new DynamoSourceStates(runtime.aws.table).getSourceState(
      runtime.story.id,
      'malformed',
    );
    expect(health).toMatchObject({
      consecutiveFailures: 1,
      lastError: expect.stringContaining('not rss'),
    });
  });

  it('retries a failing page a bounded number of times, skips a gone one, and stores the good one', async () => {
    const fetched = await runtime.drainFetchQueue(quiet);
    expect(fetched.deadLettered).toEqual([expect.stringContaining(`${origin}/good/broken.html`)]);
    // Two tries per delivery (one in-process retry), three deliveries before the DLQ.
    expect(hits.get('/good/broken.html')).toBe(6);
    expect(hits.get('/good/gone.html')).toBe(1); // 404 is permanent: not retried

    const developments = await developmentsBetween(
      runtime,
      '2019-07-08T00:00:00Z',
      '2019-07-15T00:00:00Z',
    );
    expect(developments).toContainEqual(
      expect.objectContaining({
        type: 'DELIVERY',
        date: '2019-07-12',
        // Stored under the URL the page names as canonical, not the link that led to it.
        sources: [
          expect.objectContaining({
            url: `${origin}/meridian-defence/news/first-s400-parts-arrive-murted-ankara.html`,
            outlet: 'Meridian Defence Journal',
          }),
        ],
      }),
    );
  });
});

async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((listening) => probe.listen(0, '127.0.0.1', listening));
  const { port } = probe.address() as AddressInfo;
  await new Promise((closed) => probe.close(closed));
  return port;
}
