import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '../../local/local-runtime.js';
import { SAMPLE_SITE_DIR } from '../../local/project-paths.js';
import { type LocalStory, startLocalStory } from '../support/local-story.js';
import { quiet } from '../support/memory/log.js';

/**
 * Every source type of the story file, read by the discover handler from a local web:
 * a sitemap index with a Google-News child, a paginated HTML listing, a search feed built from
 * a URL template, and an RSS feed; the same article linked three ways is queued once.
 */
const PAGES: Record<string, string> = {
  '/news/first-parts.html': 'meridian-defence/news/first-s400-parts-arrive-murted-ankara.html',
  '/news/pentagon.html': 'northgate-wire/story/19904-pentagon-suspends-turkey-f35.html',
  '/news/ministry.html': 'steppe-gazette/world/turkey-foreign-ministry-f35-unfair.html',
  '/news/trump.html': 'northgate-wire/story/19877-trump-turkey-f35-s400.html',
  '/news/flights.html': 'aegean-ledger/2019/07/15/more-s400-flights-murted.html',
  // An AMP copy: the same page, whose canonical link names the article's own URL.
  '/amp/pentagon.html': 'northgate-wire/story/19904-pentagon-suspends-turkey-f35.html',
  '/private/draft.html': 'aegean-ledger/2019/07/18/ankara-f35-decision-mistake.html',
};

describe('discovery from sitemaps, listings, search feeds and RSS', () => {
  let server: Server;
  let origin: string;
  let stack: LocalStory;
  let runtime: LocalRuntime;
  const requested: string[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      const url = new URL(request.url ?? '/', origin);
      requested.push(`${url.pathname}${url.search}`);
      const xml = (body: string) =>
        response.writeHead(200, { 'content-type': 'application/xml' }).end(body);
      const html = (body: string) =>
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(body);
      switch (url.pathname) {
        case '/robots.txt':
          return response
            .writeHead(200, { 'content-type': 'text/plain' })
            .end('User-agent: *\nDisallow: /private/\n');
        case '/sitemap-index.xml':
          return xml(
            `<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
              <sitemap><loc>${origin}/sitemap-old.xml</loc><lastmod>2019-06-01</lastmod></sitemap>
              <sitemap><loc>${origin}/sitemap-news.xml</loc><lastmod>2019-07-20</lastmod></sitemap>
            </sitemapindex>`,
          );
        case '/sitemap-news.xml':
          return xml(
            `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
              <url><loc>${origin}/news/first-parts.html</loc><news:news><news:publication_date>2019-07-12T10:40:00Z</news:publication_date><news:title>First S-400 parts land in Turkey</news:title></news:news></url>
              <url><loc>${origin}/private/draft.html</loc></url>
            </urlset>`,
          );
        case '/sitemap-old.xml':
          return xml(
            `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>${origin}/news/pentagon.html</loc></url></urlset>`,
          );
        case '/listing/1':
          return html(
            `<ul class="list"><li><a href="/news/ministry.html">Ministry</a></li><li><a href="/news/pentagon.html#top">Pentagon</a></li></ul><a rel="next" href="/listing/2">Next</a>`,
          );
        case '/listing/2':
          return html(
            `<ul class="list"><li><a href="/news/trump.html">Trump</a></li></ul><a rel="next" href="/listing/2">Next</a>`,
          );
        case '/search':
          return xml(
            `<rss><channel>
              <item><title>Q: ${url.searchParams.get('q')}</title><link>${origin.toUpperCase().replace('HTTP', 'http')}/news/flights.html?utm_source=search</link><description>S-400 Turkey</description></item>
              <item><title>dup</title><link>${origin}/news/flights.html</link><description>S-400 Turkey</description></item>
            </channel></rss>`,
          );
        case '/feed.xml':
          return xml(
            `<rss><channel>
              <item><title>Trump</title><link>${origin}/news/trump.html?utm_medium=rss</link><guid>a</guid><description>S-400 Turkey F-35</description></item>
              <item><title>Trump again</title><link>${origin}/news/trump.html</link><guid>a</guid><description>S-400 Turkey F-35</description></item>
              <item><title>Pentagon (AMP)</title><link>${origin}/amp/pentagon.html</link><description>S-400 Turkey F-35</description></item>
            </channel></rss>`,
          );
      }
      const page = PAGES[url.pathname];
      if (page)
        return html(
          readFileSync(join(SAMPLE_SITE_DIR, page), 'utf8').replaceAll('{{origin}}', origin),
        );
      response.writeHead(404).end();
    });
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const sources = [
      { id: 'sitemap', type: 'sitemap', url: `${origin}/sitemap-index.xml` },
      {
        id: 'listing',
        type: 'html',
        url: `${origin}/listing/1`,
        linkSelector: 'ul.list a',
        nextSelector: 'a[rel=next]',
      },
      {
        id: 'search',
        type: 'search',
        urlTemplate: `${origin}/search?q={query}`,
        query: 'S-400 Turkey',
      },
      { id: 'feed', type: 'rss', url: `${origin}/feed.xml` },
    ];
    stack = await startLocalStory('sources', sources, {
      allowPrivateNetworks: true,
      hostDelayMs: 0,
      maxRetries: 0,
    });
    runtime = stack.runtime;
  });

  afterAll(async () => {
    await stack?.close();
    await new Promise((closed) => server?.close(closed));
  });

  it('queues each article once, whichever sources and link forms lead to it', async () => {
    const sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
    const discovered = await runtime.handlers.discover.handler();
    expect(discovered.failures).toEqual([]);
    const queued: string[] = [];
    for (;;) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: runtime.aws.queueUrl,
          MaxNumberOfMessages: 10,
          VisibilityTimeout: 0,
        }),
      );
      const fresh = Messages.map(
        (message) => JSON.parse(message.Body ?? '{}').url as string,
      ).filter((url) => !queued.includes(url));
      if (fresh.length === 0) break;
      queued.push(...fresh);
    }
    sqs.destroy();
    expect(queued.sort()).toEqual(
      [
        '/amp/pentagon.html',
        '/news/first-parts.html',
        '/news/flights.html',
        '/news/ministry.html',
        '/news/pentagon.html',
        '/news/trump.html',
        '/private/draft.html',
      ]
        .map((path) => `${origin}${path}`)
        .sort(),
    );
    expect(discovered.queued).toBe(7);
    expect(requested).toContain('/listing/2');
    expect(requested).toContain('/search?q=S-400%20Turkey');
  });

  it('fetches what robots.txt allows and stores it, and never requests what it disallows', async () => {
    const robotsReads = () => requested.filter((path) => path === '/robots.txt').length;
    const robotsBefore = robotsReads();
    const fetched = await runtime.drainFetchQueue(quiet);
    expect(fetched).toMatchObject({ delivered: 7, deadLettered: [] });
    // Five articles stored: the AMP copy resolves to the Pentagon article, the draft is disallowed.
    const s3 = new S3Client({});
    const listed = await s3.send(
      new ListObjectsV2Command({ Bucket: runtime.aws.bucket, Prefix: 'articles/' }),
    );
    s3.destroy();
    expect(listed.Contents ?? []).toHaveLength(5);
    expect(requested).not.toContain('/private/draft.html');
    // Read once by discovery and once by the fetcher (separate functions), then cached.
    expect(robotsBefore).toBe(1);
    expect(robotsReads()).toBe(2);
    expect(requested.filter((path) => path === '/news/trump.html')).toHaveLength(1);
  });
});
