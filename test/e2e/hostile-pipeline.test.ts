import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalUrl } from '../../lambdas/core/canonical-url.js';
import type { Log } from '../../lambdas/core/ports.js';
import { DEFAULT_STORY, LocalRuntime } from '../../lambdas/local/local-runtime.js';
import { HostileWeb, SAMPLE_ARTICLE_PATH } from '../support/hostile-web.js';

/**
 * The whole pipeline (discover → SQS → fetch → S3 → DynamoDB) over a feed whose every other
 * link is hostile: each hostile page ends skipped with its reason or, if transient, set aside
 * after its retries, and the healthy article of the same run is stored.
 */
const quiet: Log = { debug() {}, info() {}, warn() {}, error() {} };
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
  let dataDir: string;
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
    dataDir = mkdtempSync(join(tmpdir(), 'story-digest-hostile-'));
    const story = JSON.parse(readFileSync(DEFAULT_STORY, 'utf8'));
    story.sources = [{ id: 'hostile', type: 'rss', url: web.url('/hostile-feed.xml') }];
    story.fetch = {
      allowPrivateNetworks: true,
      timeoutMs: 1_000,
      maxBytes: 200_000,
      hostDelayMs: 0,
      maxRetries: 0,
    };
    const storyPath = join(dataDir, 'story.json');
    writeFileSync(storyPath, JSON.stringify(story));
    runtime = await LocalRuntime.start({ storyPath, dataDir, sample: false, subscribers: [] });
  });

  afterAll(async () => {
    await runtime?.stop();
    await web?.close();
    rmSync(dataDir, { recursive: true, force: true });
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

    const { DynamoStore } = await import('../../lambdas/adapters/dynamo-store.js');
    const developments = await new DynamoStore(runtime.aws.table).developmentsFirstReported(
      runtime.story.id,
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
