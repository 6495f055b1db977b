/**
 * Discovery + fetch throughput: 1,000 articles over 20 local hosts (20 servers on 127.0.0.1,
 * each its own host:port), read through the real HTTP client, politeness layer, feed parser
 * and cleaner. Printed next to a reference measured in the same run: the same work with no
 * host delay, so the ratio shows what politeness costs and the split shows where time goes.
 *
 *   npm run bench
 */

import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { NodeHttpClient } from '../lambdas/adapters/http-client.js';
import { PoliteHttpClient } from '../lambdas/adapters/polite-http.js';
import { parseFeed } from '../lambdas/core/1-discover/feed.js';
import { decodeBody } from '../lambdas/core/2-fetch/charset.js';
import { cleanHtml } from '../lambdas/core/3-clean/article.js';
import { SAMPLE_SITE_DIR } from '../local/project-paths.js';

const HOSTS = 20;
const ARTICLES_PER_HOST = 50;
const HOST_DELAY_MS = 50;
const CONCURRENCY = 16;
const PAGE = readFileSync(
  join(SAMPLE_SITE_DIR, 'meridian-defence/news/first-s400-parts-arrive-murted-ankara.html'),
  'utf8',
);

async function startHost(): Promise<{ server: Server; origin: string }> {
  let origin = '';
  const server = createServer((request, response) => {
    const path = request.url ?? '/';
    if (path === '/robots.txt') return response.writeHead(200).end('User-agent: *\nAllow: /\n');
    if (path === '/feed.xml') {
      const items = Array.from(
        { length: ARTICLES_PER_HOST },
        (_, index) =>
          `<item><title>S-400 Turkey ${index}</title><link>${origin}/a/${index}.html</link><description>S-400 deliveries to Turkey</description></item>`,
      ).join('');
      return response
        .writeHead(200, { 'content-type': 'application/rss+xml' })
        .end(`<rss><channel>${items}</channel></rss>`);
    }
    response
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      .end(PAGE.replaceAll('{{origin}}', origin));
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { server, origin };
}

async function run(hostDelayMs: number, origins: string[]) {
  const raw = new NodeHttpClient({
    userAgent: 'story-digest-bench',
    connectTimeoutMs: 5_000,
    headersTimeoutMs: 5_000,
    totalTimeoutMs: 10_000,
    maxBytes: 5_000_000,
    maxDecodedBytes: 20_000_000,
    allowPrivateNetworks: true,
  });
  const http = new PoliteHttpClient(raw, {
    robotsAgent: 'story-digest',
    hostDelayMs,
    maxConcurrency: CONCURRENCY,
    maxRetries: 0,
    baseBackoffMs: 100,
    maxRetryWaitMs: 1_000,
    robotsTtlMs: 3_600_000,
  });
  const started = performance.now();
  const urls = (
    await Promise.all(
      origins.map(async (origin) => {
        const feed = await http.get(`${origin}/feed.xml`);
        return parseFeed(decodeBody(feed.body, feed.headers['content-type']), feed.finalUrl).map(
          (item) => item.url,
        );
      }),
    )
  ).flat();
  const discovered = performance.now();
  let words = 0;
  await Promise.all(
    urls.map(async (url) => {
      const page = await http.get(url);
      words += cleanHtml(
        decodeBody(page.body, page.headers['content-type']),
        page.finalUrl,
      ).text.split(' ').length;
    }),
  );
  const finished = performance.now();
  await raw.close();
  return {
    articles: urls.length,
    words,
    discoveryMs: discovered - started,
    totalMs: finished - started,
    ...http.stats,
  };
}

const hosts = await Promise.all(Array.from({ length: HOSTS }, startHost));
const origins = hosts.map((host) => host.origin);
await run(0, origins.slice(0, 2)); // warm-up: JIT, sockets
const reference = await run(0, origins);
const polite = await run(HOST_DELAY_MS, origins);
for (const host of hosts) host.server.close();

const line = (name: string, result: typeof reference) =>
  `${name.padEnd(28)} ${String(result.articles).padStart(5)} articles  ${(result.articles / (result.totalMs / 1000)).toFixed(0).padStart(6)} articles/s  ` +
  `discovery ${result.discoveryMs.toFixed(0)} ms  total ${result.totalMs.toFixed(0)} ms  ` +
  `per request: host-delay wait ${(result.hostWaitMs / result.requests).toFixed(0)} ms, ` +
  `slot wait ${(result.slotWaitMs / result.requests).toFixed(0)} ms, working ${(result.workingMs / result.requests).toFixed(1)} ms`;
console.log(
  `fetch throughput: ${HOSTS} hosts × ${ARTICLES_PER_HOST} articles, concurrency ${CONCURRENCY}`,
);
console.log(line('reference (no host delay)', reference));
console.log(line(`polite (${HOST_DELAY_MS} ms per host)`, polite));
console.log(
  `ratio polite/reference wall time: ${(polite.totalMs / reference.totalMs).toFixed(2)}×; ` +
    `floor from the host delay alone: ${((ARTICLES_PER_HOST * HOST_DELAY_MS) / reference.totalMs).toFixed(2)}× the reference`,
);
