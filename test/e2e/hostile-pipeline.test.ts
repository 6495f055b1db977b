import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalUrl } from '../../lambdas/core/1-discover/canonical-url.js';
import { asTheStackDrains, type DrainResult, LocalRuntime } from '../../local/local-runtime.js';
import {
  type HostileCollection,
  startHostileCollection,
  writeCollectionStory,
} from '../support/hostile-collection.js';
import { SAMPLE_ARTICLE } from '../support/hostile-web.js';
import { quiet } from '../support/memory/log.js';
import { scanTable } from '../support/pipeline-state.js';

/**
 * The whole pipeline (discover → SQS → fetch → S3 → DynamoDB) over the hostile collection of
 * issue 15 (test/support/hostile-collection.ts): the sample site's healthy articles beside 25
 * misbehaving endpoints on sites of their own, collected as `story-digest run` does (discovery
 * and the queue side by side, the queue as the stack drains it). No healthy article is lost:
 * none is skipped or set aside, every one is stored. Every hostile link is accounted for, with
 * its reason: skipped for good, or set aside in the DLQ (listed with why, and replayed once its
 * server mends). Short timeouts keep it quick; `npm run bench` times the same collection with
 * the story's own.
 */
const EXPECTED = {
  skipped: {
    '/gzip-bomb': /decoded body larger than/,
    '/endless': /body larger than/,
    '/redirect/loop-a': /redirect loop/,
    '/redirect/chain/9': /more than 5 redirects/,
    '/status/404': /HTTP 404/,
    '/status/410': /HTTP 410/,
    '/empty': /empty body/,
    '/png-as-html': /binary content served as text\/html/,
  } as Record<string, RegExp>,
  /** Set aside after their retries, by path, with the reason their last attempt failed. */
  setAside: {
    '/a/':
      /(robots\.txt unreadable.*|host \S+ given up: its last \d+ requests failed).*(timed out|in time)/,
    '/t/':
      /(robots\.txt unreadable.*|host \S+ given up: its last \d+ requests failed).*(timed out|in time)/,
    '/d/':
      /(robots\.txt unreadable.*|host \S+ given up: its last \d+ requests failed).*(timed out|in time|stalled)/,
    '/status/429': /Retry-After 3600 s|host \S+ asked to wait \(HTTP 429, Retry-After 3600 s\)/,
    '/status/503': /HTTP 503/,
    '/reset-mid-body': /connection reset/,
    '/hang-up': /connection reset|other side closed/,
  } as Record<string, RegExp>,
};

describe('collecting beside a hostile web', () => {
  let dataDir: string;
  let web: HostileCollection;
  let runtime: LocalRuntime;
  let fetched: DrainResult;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'story-digest-hostile-'));
    web = await startHostileCollection();
    const storyPath = writeCollectionStory(dataDir, web.sources(true), {
      timeoutMs: 1_000,
      maxBytes: 200_000,
      hostDelayMs: 0,
      retryBaseMs: 50,
    });
    runtime = await LocalRuntime.start({
      storyPath,
      dataDir,
      sample: false,
      subscribers: [],
      persistent: false,
    });
  });

  afterAll(async () => {
    await runtime?.stop();
    await web?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const pathOf = (url: string) => {
    const parsed = new URL(url);
    return `${parsed.pathname}${parsed.search}`;
  };
  const expectedReason = (table: Record<string, RegExp>, url: string) =>
    Object.entries(table).find(([path]) => pathOf(url).startsWith(path))?.[1];

  it('stores every healthy article and accounts for every hostile link and feed, with its reason', async () => {
    const discovering = runtime.handlers.discover.handler();
    const fetching = runtime.drainFetchQueue(quiet, asTheStackDrains(discovering));
    const [found, drained] = await Promise.all([discovering, fetching]);
    fetched = drained;

    // The broken feeds failed; every sample outlet's feed was read.
    expect(found.failures.map((failure) => failure.url).sort()).toEqual(
      [...web.brokenFeeds].sort(),
    );
    const onSample = (url: string) => url.startsWith(web.sampleOrigin);

    // No healthy article lost: none skipped, none set aside, and every on-story one stored.
    const skipped = fetched.skipped ?? [];
    const setAside = fetched.deadLetters ?? [];
    expect(skipped.filter(({ url }) => onSample(url))).toEqual([]);
    expect(setAside.filter(({ url }) => onSample(url))).toEqual([]);
    const { documents } = await import('../../lambdas/adapters/dynamo-documents.js');
    const stored = (await scanTable(documents, runtime.aws.table))
      .filter((item) => item.sk === 'ARTICLE')
      .map((item) => String(item.url));
    expect(stored.filter(onSample).length).toBeGreaterThanOrEqual(12);
    expect(stored.filter((url) => !onSample(url))).toEqual([]);

    // Every hostile link: skipped for good, or set aside after its retries, each with its reason.
    const accounted = [...skipped, ...setAside].map(({ url }) => url).sort();
    expect(accounted).toEqual(web.hostileLinks.map((link) => canonicalUrl(link)).sort());
    for (const { url, reason } of skipped) {
      expect({ url, reason }).toEqual({
        url,
        reason: expect.stringMatching(expectedReason(EXPECTED.skipped, url) ?? /^$/),
      });
    }
    for (const { url, reason } of setAside) {
      expect({ url, reason }).toEqual({
        url,
        reason: expect.stringMatching(expectedReason(EXPECTED.setAside, url) ?? /^$/),
      });
    }
  });

  it('lists the DLQ with why each message failed, and replays it: a mended server’s article is stored', async () => {
    const listed = await runtime.handlers.backfill.handler({ dlq: 'list' });
    expect(listed.deadLetters.map((letter) => letter.url).sort()).toEqual(
      (fetched.deadLetters ?? []).map(({ url }) => url).sort(),
    );
    for (const letter of listed.deadLetters) {
      expect(letter).toMatchObject({
        sourceId: 'hostile-links',
        reason: expect.stringMatching(expectedReason(EXPECTED.setAside, letter.url ?? '') ?? /^$/),
        failedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
        attempts: expect.any(Number),
      });
      expect(letter.receives).toBeGreaterThanOrEqual(3);
    }
    // Listing leaves them there.
    expect((await runtime.handlers.backfill.handler({ dlq: 'list' })).deadLetters).toHaveLength(
      listed.deadLetters.length,
    );

    // The 503 pages come back as the healthy article; the rest still fail.
    web.broken.route(
      '/status/503',
      (request, response) =>
        void response
          .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
          .end(
            readFileSync(SAMPLE_ARTICLE, 'utf8').replaceAll(
              '{{origin}}',
              `http://${request.headers.host}`,
            ),
          ),
    );
    const replayed = await runtime.handlers.backfill.handler({ dlq: 'replay' });
    expect(replayed.replayed).toBe(listed.deadLetters.length);
    const again = await runtime.drainFetchQueue(quiet, asTheStackDrains());
    const mended = (fetched.deadLetters ?? []).filter(({ url }) =>
      pathOf(url).startsWith('/status/503'),
    );
    expect(mended).toHaveLength(2);
    expect(again.deadLetters?.map(({ url }) => url).sort()).toEqual(
      (fetched.deadLetters ?? [])
        .filter((letter) => !mended.includes(letter))
        .map(({ url }) => url)
        .sort(),
    );
    const { documents } = await import('../../lambdas/adapters/dynamo-documents.js');
    const stored = (await scanTable(documents, runtime.aws.table))
      .filter((item) => item.sk === 'ARTICLE')
      .map((item) => String(item.url));
    // Both mended URLs are one article (their page's canonical URL): stored once.
    expect(stored.filter((url) => url.startsWith(web.broken.origin))).toEqual([
      `${web.broken.origin}/meridian-defence/news/first-s400-parts-arrive-murted-ankara.html`,
    ]);
    const left = await runtime.handlers.backfill.handler({ dlq: 'list' });
    expect(left.deadLetters).toHaveLength(listed.deadLetters.length - mended.length);
  });
});
