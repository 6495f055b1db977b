import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXTRACTOR_VERSION } from '../../lambdas/core/4-extract/extractor-version.js';
import type { LocalRuntime } from '../../local/local-runtime.js';
import { SAMPLE_SITE_DIR } from '../../local/project-paths.js';
import { type LocalStory, startLocalStory } from '../support/local-story.js';
import { quiet } from '../support/memory/log.js';
import { archivedArticles, rewriteArchivedArticle, scanTable } from '../support/pipeline-state.js';

/** Sample articles (sample/site) and what each one is in the documents below. */
const ARTICLE = {
  firstParts: '/meridian-defence/news/first-s400-parts-arrive-murted-ankara.html',
  pentagon: '/northgate-wire/story/19904-pentagon-suspends-turkey-f35.html',
  flights: '/aegean-ledger/2019/07/15/more-s400-flights-murted.html', // dated by its URL only
  ministry: '/steppe-gazette/world/turkey-foreign-ministry-f35-unfair.html',
  trump: '/northgate-wire/story/19877-trump-turkey-f35-s400.html',
  patriot: '/northgate-wire/story/18342-us-approves-patriot-sale-turkey.html', // 2018
  rostec: '/aegean-ledger/2017/12/27/rostec-s400-turkey-financing.html', // 2017, by its URL
  deadline: '/meridian-defence/news/shanahan-letter-turkey-f35-deadline.html', // no date anywhere
  india: '/northgate-wire/story/19921-explainer-india-s400-order.html', // off the story
  delivery: '/steppe-gazette/world/turkey-takes-delivery-first-s400.html', // listed in August
  mistake: '/aegean-ledger/2019/07/18/ankara-f35-decision-mistake.html', // backfilled first
} as const;
const RANGE = { from: '2019-07-01', to: '2019-07-31' };

describe('backfill from a sitemap, a feed and the story sources, and re-processing', () => {
  let server: Server;
  let origin: string;
  let stack: LocalStory;
  let runtime: LocalRuntime;
  const requested: string[] = [];
  const at = (path: string) => `${origin}${path}`;

  beforeAll(async () => {
    server = createServer((request, response) => {
      const path = new URL(request.url ?? '/', 'http://local').pathname;
      requested.push(path);
      const xml = (body: string) =>
        response.writeHead(200, { 'content-type': 'application/xml' }).end(body);
      const urlset = (entries: string) =>
        xml(
          `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">${entries}</urlset>`,
        );
      const news = (path: string, date: string, title: string) =>
        `<url><loc>${at(path)}</loc><news:news><news:publication_date>${date}</news:publication_date><news:title>${title}</news:title></news:news></url>`;
      const item = (path: string, date: string, title: string, summary: string) =>
        `<item><title>${title}</title><link>${at(path)}</link><pubDate>${date}</pubDate><description>${summary}</description></item>`;
      switch (path) {
        case '/robots.txt':
          return response.writeHead(200, { 'content-type': 'text/plain' }).end('User-agent: *\n');
        case '/bf/sitemap-index.xml':
          return xml(
            `<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
              <sitemap><loc>${at('/bf/sitemap-may.xml')}</loc><lastmod>2019-05-31</lastmod></sitemap>
              <sitemap><loc>${at('/bf/sitemap-july.xml')}</loc><lastmod>2019-07-20</lastmod></sitemap>
              <sitemap><loc>${at('/bf/sitemap-misc.xml')}</loc></sitemap>
            </sitemapindex>`,
          );
        case '/bf/sitemap-july.xml':
          return urlset(
            news(ARTICLE.firstParts, '2019-07-12T10:40:00Z', 'First S-400 parts land in Turkey') +
              news(ARTICLE.pentagon, '2019-07-17T19:20:00Z', 'Pentagon suspends Turkey') +
              `<url><loc>${at(ARTICLE.flights)}</loc></url>` +
              `<url><loc>${at(ARTICLE.patriot)}</loc><lastmod>2018-12-19</lastmod></url>` +
              `<url><loc>${at(ARTICLE.deadline)}</loc></url>`,
          );
        case '/bf/sitemap-misc.xml':
          return urlset(
            `<url><loc>${at(ARTICLE.rostec)}</loc></url>` +
              `<url><loc>${at(ARTICLE.ministry)}</loc><lastmod>2019-07-18</lastmod></url>`,
          );
        case '/bf/sitemap-may.xml':
          return urlset(
            news(ARTICLE.delivery, '2019-05-10', 'Never read: modified before the range'),
          );
        case '/bf/feed.xml':
          return xml(
            `<rss><channel>${
              item(
                ARTICLE.trump,
                'Tue, 16 Jul 2019 18:55:00 GMT',
                'Trump on Turkey',
                'S-400 Turkey F-35',
              ) +
              item(
                ARTICLE.india,
                'Fri, 19 Jul 2019 07:00:00 GMT',
                "India's S-400 order",
                'India orders five S-400 regiments from Russia',
              ) +
              item(
                `${ARTICLE.firstParts}?utm_source=rss`,
                'Fri, 12 Jul 2019 10:40:00 GMT',
                'First parts',
                'S-400 Turkey',
              ) +
              item(
                ARTICLE.mistake,
                'Thu, 18 Jul 2019 09:00:00 GMT',
                'Ankara says F-35 decision a mistake',
                'S-400 Turkey F-35',
              ) +
              item(
                ARTICLE.delivery,
                'Fri, 02 Aug 2019 09:00:00 GMT',
                'Turkey takes delivery',
                'S-400 Turkey',
              )
            }</channel></rss>`,
          );
      }
      try {
        const html = readFileSync(join(SAMPLE_SITE_DIR, path), 'utf8').replaceAll(
          '{{origin}}',
          origin,
        );
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
      } catch {
        response.writeHead(404).end();
      }
    });
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    stack = await startLocalStory(
      'backfill',
      [
        { id: 'sitemap', type: 'sitemap', url: at('/bf/sitemap-index.xml') },
        { id: 'feed', type: 'rss', url: at('/bf/feed.xml') },
        { id: 'elsewhere', type: 'rss', url: at('/bf/elsewhere.xml') },
      ],
      { allowPrivateNetworks: true, hostDelayMs: 0, maxRetries: 0 },
    );
    runtime = stack.runtime;
  });

  afterAll(async () => {
    await stack?.close();
    await new Promise((closed) => server?.close(closed));
  });

  /** What the fetch queue holds, taken off it: `<sourceId> <path>` per message. */
  async function takeQueue(): Promise<string[]> {
    const sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
    const taken: string[] = [];
    for (;;) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: runtime.aws.queueUrl, MaxNumberOfMessages: 10 }),
      );
      if (Messages.length === 0) break;
      for (const message of Messages) {
        const request = JSON.parse(message.Body ?? '{}') as { sourceId: string; url: string };
        taken.push(`${request.sourceId} ${new URL(request.url).pathname}`);
      }
    }
    sqs.destroy();
    return taken.sort();
  }

  async function dynamo() {
    const { DynamoUrlLedger } = await import('../../lambdas/adapters/dynamo-url-ledger.js');
    return new DynamoUrlLedger(runtime.aws.table);
  }

  /** Every stored article and event: `<kind> <article path> <sourceId> v<extractorVersion>`. */
  async function storedVersions(): Promise<string[]> {
    const { documents } = await import('../../lambdas/adapters/dynamo-documents.js');
    const items = await scanTable(documents, runtime.aws.table);
    const line = (kind: string, article: { url: string; sourceId: string }, version: unknown) =>
      `${kind} ${new URL(article.url).pathname} ${article.sourceId} v${version}`;
    return [
      ...items
        .filter((entry) => entry.sk === 'ARTICLE')
        .map((entry) =>
          line('article', entry as { url: string; sourceId: string }, entry.extractorVersion),
        ),
      ...(await archivedArticles(runtime)).flatMap((article) =>
        article.events.map((event) => line('event', article, event.extractorVersion)),
      ),
    ].sort();
  }

  /**
   * Marks every stored article and archived event as written by version 0, as an older
   * deployment did.
   */
  async function ageEveryRecord(): Promise<void> {
    const { ScanCommand, UpdateCommand } = await import('@aws-sdk/lib-dynamodb');
    const { documents } = await import('../../lambdas/adapters/dynamo-documents.js');
    const page = await documents.send(
      new ScanCommand({
        TableName: runtime.aws.table,
        FilterExpression: 'begins_with(pk, :article)',
        ExpressionAttributeValues: { ':article': 'ARTICLE#' },
      }),
    );
    expect(page.LastEvaluatedKey).toBeUndefined();
    for (const entry of page.Items ?? []) {
      await documents.send(
        new UpdateCommand({
          TableName: runtime.aws.table,
          Key: { pk: entry.pk, sk: entry.sk },
          UpdateExpression: 'SET extractorVersion = :old',
          ExpressionAttributeValues: { ':old': 0 },
        }),
      );
    }
    for (const article of await archivedArticles(runtime)) {
      const events = article.events.map((event) => ({ ...event, extractorVersion: 0 }));
      await rewriteArchivedArticle(runtime, { ...article, extractorVersion: 0, events });
    }
  }

  it('keeps {urls} as it was: queued once, non-http(s) rejected, known the second time', async () => {
    const payload = { urls: [at(ARTICLE.mistake), 'ftp://example.com/a.html'] };
    expect(await runtime.handlers.backfill.handler(payload)).toMatchObject({
      considered: 2,
      queued: 1,
      skippedKnown: 0,
      rejected: [{ url: 'ftp://example.com/a.html', reason: 'not an http(s) URL' }],
      rejectedByReason: { 'not an http(s) URL': 1 },
    });
    expect(await runtime.handlers.backfill.handler(payload)).toMatchObject({
      queued: 0,
      skippedKnown: 1,
    });
    expect(await runtime.drainFetchQueue(quiet)).toMatchObject({ delivered: 1, failed: 0 });
  });

  it('counts a sitemap and feed walk in a dry run, and writes and queues nothing', async () => {
    requested.length = 0;
    const result = await runtime.handlers.backfill.handler({
      sitemap: at('/bf/sitemap-index.xml'),
      feed: at('/bf/feed.xml'),
      ...RANGE,
      dryRun: true,
    });
    expect(result).toMatchObject({
      dryRun: true,
      considered: 11,
      queued: 5,
      skippedKnown: 1,
      rejectedByReason: {
        'outside the date range': 3,
        'no date to place in the range': 1,
        'off the story': 1,
      },
      sourceFailures: [],
      reprocessed: 0,
    });
    expect(await takeQueue()).toEqual([]);
    const store = await dynamo();
    for (const path of [ARTICLE.firstParts, ARTICLE.trump, ARTICLE.flights]) {
      const request = {
        storyId: 's400-turkey',
        sourceId: 'backfill',
        url: at(path),
        firstSeenAt: new Date().toISOString(),
      };
      expect(await store.isKnownUrl(request)).toBe(false);
    }
    // Documents are read, articles are not fetched.
    expect(requested.filter((path) => !path.startsWith('/bf/') && path !== '/robots.txt')).toEqual(
      [],
    );
  });

  it('walks only the chosen story sources, keeps the date range and the relevance pre-filter, and queues through the fetch queue', async () => {
    requested.length = 0;
    const result = await runtime.handlers.backfill.handler({
      sources: ['sitemap', 'feed'],
      ...RANGE,
    });
    expect(result).toMatchObject({
      dryRun: false,
      considered: 11,
      queued: 5,
      skippedKnown: 1,
      sourceFailures: [],
    });
    expect([...result.rejected].sort((a, b) => a.url.localeCompare(b.url))).toEqual(
      [
        { url: at(ARTICLE.rostec), reason: 'outside the date range', detail: '2017-12-27' },
        { url: at(ARTICLE.deadline), reason: 'no date to place in the range' },
        { url: at(ARTICLE.patriot), reason: 'outside the date range', detail: '2018-12-19' },
        {
          url: at(ARTICLE.india),
          reason: 'off the story',
          detail: 'no required term (group 2) found',
        },
        { url: at(ARTICLE.delivery), reason: 'outside the date range', detail: '2019-08-02' },
      ].sort((a, b) => a.url.localeCompare(b.url)),
    );
    // The index's child modified before the range is never read, nor an unchosen source.
    expect(requested).not.toContain('/bf/sitemap-may.xml');
    expect(requested).not.toContain('/bf/elsewhere.xml');
    expect(requested).toEqual(
      expect.arrayContaining(['/bf/sitemap-index.xml', '/bf/sitemap-july.xml', '/bf/feed.xml']),
    );
    // Through the fetch queue to the fetch handler: each article stored under its own source.
    expect(await runtime.drainFetchQueue(quiet)).toMatchObject({ delivered: 5, failed: 0 });
    const stored = await storedVersions();
    expect(new Set(stored.filter((line) => line.startsWith('article ')))).toEqual(
      new Set([
        `article ${ARTICLE.mistake} backfill v${EXTRACTOR_VERSION}`,
        `article ${ARTICLE.firstParts} sitemap v${EXTRACTOR_VERSION}`,
        `article ${ARTICLE.pentagon} sitemap v${EXTRACTOR_VERSION}`,
        `article ${ARTICLE.flights} sitemap v${EXTRACTOR_VERSION}`,
        `article ${ARTICLE.ministry} sitemap v${EXTRACTOR_VERSION}`,
        `article ${ARTICLE.trump} feed v${EXTRACTOR_VERSION}`,
      ]),
    );
    expect(
      await runtime.handlers.backfill.handler({ sources: ['sitemap', 'feed'], ...RANGE }),
    ).toMatchObject({ queued: 0, skippedKnown: 6 });
  });

  it('re-processes only the chosen sources and dates, writes nothing in a dry run, and stamps the extractor version', async () => {
    const fresh = await storedVersions();
    expect(fresh.filter((line) => line.startsWith('event ')).length).toBeGreaterThan(6);
    expect(fresh.filter((line) => !line.endsWith(` v${EXTRACTOR_VERSION}`))).toEqual([]);

    await ageEveryRecord();
    const aged = await storedVersions();
    expect(aged.every((line) => line.endsWith(' v0'))).toBe(true);

    const dry = await runtime.handlers.backfill.handler({ reprocess: true, dryRun: true });
    expect(dry).toMatchObject({ reprocessed: 6, reprocessFailed: [], notReprocessed: {} });
    expect(await storedVersions()).toEqual(aged);

    const feedOnly = await runtime.handlers.backfill.handler({
      reprocess: true,
      sources: ['feed'],
    });
    expect(feedOnly).toMatchObject({
      reprocessed: 1,
      notReprocessed: { 'another source': 5 },
      reprocessFailed: [],
      queued: 0,
    });
    const afterFeed = await storedVersions();
    const touched = afterFeed.filter((line) => !line.endsWith(' v0'));
    expect(touched.length).toBeGreaterThan(1);
    expect(
      touched.every((line) => line.includes(`${ARTICLE.trump} feed v${EXTRACTOR_VERSION}`)),
    ).toBe(true);
    expect(
      afterFeed
        .filter((line) => line.includes(ARTICLE.trump))
        .every((line) => !line.endsWith(' v0')),
    ).toBe(true);

    // The sitemap's articles published from 13 July: the first parts (12 July) stay as they were.
    const sitemapLate = await runtime.handlers.backfill.handler({
      reprocess: true,
      sources: ['sitemap'],
      from: '2019-07-13',
      to: '2019-07-31',
    });
    expect(sitemapLate).toMatchObject({
      reprocessed: 3,
      notReprocessed: { 'another source': 2, 'outside the date range': 1 },
    });
    const upgraded = (await storedVersions())
      .filter((line) => line.startsWith('article ') && !line.endsWith(' v0'))
      .map((line) => line.split(' ')[1])
      .sort();
    expect(upgraded).toEqual(
      [ARTICLE.pentagon, ARTICLE.flights, ARTICLE.ministry, ARTICLE.trump].sort(),
    );

    const all = await runtime.handlers.backfill.handler({ reprocess: true });
    expect(all).toMatchObject({ reprocessed: 6, reprocessFailed: [] });
    const final = await storedVersions();
    expect(final).toHaveLength(fresh.length);
    expect(final.filter((line) => !line.endsWith(` v${EXTRACTOR_VERSION}`))).toEqual([]);
  });
});
