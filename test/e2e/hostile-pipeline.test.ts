import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalUrl } from '../../lambdas/core/1-discover/canonical-url.js';
import type { LocalRuntime } from '../../local/local-runtime.js';
import { HostileWeb, SAMPLE_ARTICLE_PATH } from '../support/hostile-web.js';
import { developmentsBetween, type LocalStory, startLocalStory } from '../support/local-story.js';
import { quiet } from '../support/memory/log.js';

/**
 * The whole pipeline (discover → SQS → fetch → S3 → DynamoDB) over a feed whose every other
 * link is hostile: each hostile page ends skipped with its reason or, if transient, set aside
 * after its retries, and the healthy article of the same run is stored.
 */
const HOSTILE = {
  skipped: {
    '/endless': /body larger than 200000 bytes/,
    '/gzip-bomb': /decoded body larger than 800000 bytes/,
    '/png-as-html': /binary content served as text\/html/,
    '/status/404': /HTTP 404/,
    '/status/410': /HTTP 410/,
    '/redirect/loop-a': /redirect loop/,
    '/redirect/to?to=file:///etc/passwd': /scheme file: refused/,
    '/empty': /empty body/,
  },
  transient: ['/drip', '/reset-mid-body', '/status/503'],
} as const;

describe('the pipeline over a hostile feed', () => {
  let web: HostileWeb;
  let stack: LocalStory;
  let runtime: LocalRuntime;

  beforeAll(async () => {
    web = await HostileWeb.start();
    const links = [SAMPLE_ARTICLE_PATH, ...Object.keys(HOSTILE.skipped), ...HOSTILE.transient];
    const items = links
      .map(
        (path) =>
          `<item><title>${path}</title><link>${web.url(path).replaceAll('&', '&amp;')}</link></item>`,
      )
      .join('');
    web.route(
      '/hostile-feed.xml',
      (_request, response) =>
        void response
          .writeHead(200, { 'content-type': 'application/rss+xml' })
          .end(`<rss><channel>${items}</channel></rss>`),
    );
    stack = await startLocalStory(
      'hostile',
      [{ id: 'hostile', type: 'rss', url: web.url('/hostile-feed.xml') }],
      {
        allowPrivateNetworks: true,
        timeoutMs: 1_000,
        maxBytes: 200_000,
        hostDelayMs: 0,
        maxRetries: 0,
      },
    );
    runtime = stack.runtime;
  });

  afterAll(async () => {
    await stack?.close();
    await web?.close();
  });

  it('stores the healthy article and accounts for every hostile link', async () => {
    const discovered = await runtime.handlers.discover.handler();
    expect(discovered).toMatchObject({ failures: [], queued: 12 });
    const fetched = await runtime.drainFetchQueue(quiet);

    const deadLettered = fetched.deadLettered.map((body) => new URL(JSON.parse(body).url).pathname);
    expect(deadLettered.sort()).toEqual([...HOSTILE.transient].sort());

    const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
    for (const [path, reason] of Object.entries(HOSTILE.skipped)) {
      const { Item } = await documents.send(
        new GetCommand({
          TableName: runtime.aws.table,
          Key: { pk: `URL#${canonicalUrl(web.url(path))}`, sk: 'URL' },
        }),
      );
      expect({ path, status: Item?.status }).toEqual({ path, status: 'skipped' });
      expect(Item?.reason).toMatch(reason);
    }
    documents.destroy();

    const developments = await developmentsBetween(
      runtime,
      '2019-07-08T00:00:00Z',
      '2019-07-15T00:00:00Z',
    );
    expect(developments).toContainEqual(
      expect.objectContaining({
        type: 'DELIVERY',
        date: '2019-07-12',
        sources: [expect.objectContaining({ outlet: 'Meridian Defence Journal' })],
      }),
    );
  });
});
