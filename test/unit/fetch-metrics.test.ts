import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadStoryFile } from '../../lambdas/adapters/story-file.js';
import { fetchAndProcess } from '../../lambdas/core/2-fetch/process-article.js';
import { EventExtractor } from '../../lambdas/core/4-extract/events.js';
import { RelevanceFilter } from '../../lambdas/core/4-extract/relevance.js';
import { FetchError } from '../../lambdas/core/model/errors.js';
import { failureReason } from '../../lambdas/core/model/metric-names.js';
import type { FetchRequest } from '../../lambdas/core/ports/fetch-queue.js';
import type { HttpClient, HttpResponse } from '../../lambdas/core/ports/http.js';
import { MemoryArticleArchive, MemoryRawArchive } from '../support/memory/archives.js';
import { MemoryArticleStore } from '../support/memory/article-store.js';
import { MemoryCoverageLedger } from '../support/memory/coverage-ledger.js';
import { MemoryDevelopmentStore } from '../support/memory/development-store.js';
import { MemoryFetchFailures } from '../support/memory/fetch-failures.js';
import { quiet } from '../support/memory/log.js';
import { RecordingMetrics } from '../support/memory/metrics.js';
import { MemoryUrlLedger } from '../support/memory/url-ledger.js';

const story = loadStoryFile('stories/s400-turkey.json');
const analysis = {
  story,
  relevance: new RelevanceFilter(story.relevance),
  extractor: new EventExtractor(story),
};

const SITE = 'https://news.example.org';
const PAGES: Record<string, string> = {
  '/parts-arrive.html':
    'sample/site/meridian-defence/news/first-s400-parts-arrive-murted-ankara.html',
  '/india-order.html': 'sample/site/northgate-wire/story/19921-explainer-india-s400-order.html',
};

/** Serves two sample pages; every other path is a 404. */
const http: HttpClient = {
  async get(url): Promise<HttpResponse> {
    const file = PAGES[new URL(url).pathname];
    return {
      url,
      finalUrl: url,
      status: file ? 200 : 404,
      headers: { 'content-type': 'text/html; charset=utf-8' },
      body: file ? readFileSync(file) : new Uint8Array(),
    };
  },
};

/** fetchAndProcess over in-memory ports. */
function world() {
  const seenUrls = new MemoryUrlLedger();
  const metrics = new RecordingMetrics();
  const deps = {
    http,
    seenUrls,
    rawArchive: new MemoryRawArchive(),
    articleArchive: new MemoryArticleArchive(),
    articles: new MemoryArticleStore(),
    developments: new MemoryDevelopmentStore(),
    coverage: new MemoryCoverageLedger(),
    failures: new MemoryFetchFailures(),
    metrics,
    log: quiet,
    now: () => new Date('2019-07-13Z'),
  };
  /** Forgets the claimed URLs, as if the article came again from another source. */
  const forgetUrls = () => seenUrls.claims.clear();
  return { deps, metrics, forgetUrls };
}

function request(path: string): FetchRequest {
  return {
    storyId: story.id,
    sourceId: 'meridian',
    url: `${SITE}${path}`,
    firstSeenAt: '2019-07-13T00:00:00.000Z',
  };
}

describe('metrics of a fetch', () => {
  it('counts a stored article as fetched and stored, with its events and new developments', async () => {
    const { deps, metrics } = world();
    const outcome = await fetchAndProcess(request('/parts-arrive.html'), analysis, deps);
    expect(outcome).toMatchObject({ status: 'stored' });
    if (outcome.status !== 'stored') return;
    expect(outcome.events).toBeGreaterThan(0);
    expect(outcome.developmentsCreated).toBeGreaterThan(0);
    expect(metrics.totals()).toEqual({
      ArticlesFetched: 1,
      ArticlesStored: 1,
      EventsExtracted: outcome.events,
      DevelopmentsCreated: outcome.developmentsCreated,
    });
  });

  it('does not count a development again when another article reports it', async () => {
    const { deps, metrics, forgetUrls } = world();
    const first = await fetchAndProcess(request('/parts-arrive.html'), analysis, deps);
    forgetUrls();
    const again = await fetchAndProcess(request('/parts-arrive.html'), analysis, deps);
    expect(again).toMatchObject({ status: 'stored', developmentsCreated: 0 });
    expect(metrics.totals()).toMatchObject({
      ArticlesStored: 2,
      DevelopmentsCreated: first.status === 'stored' ? first.developmentsCreated : Number.NaN,
    });
  });

  it('counts a copy of a stored article under another URL as not stored, reason duplicate', async () => {
    const { deps, metrics } = world();
    await fetchAndProcess(request('/parts-arrive.html'), analysis, deps);
    await expect(
      fetchAndProcess(request('/parts-arrive.html?utm=copy'), analysis, deps),
    ).resolves.toMatchObject({ status: 'duplicate' });
    expect(metrics.totals()).toMatchObject({
      ArticlesFetched: 2,
      ArticlesStored: 1,
      'ArticlesNotStored reason=duplicate': 1,
    });
  });

  it('counts an off-story article as fetched and not stored, reason off-story', async () => {
    const { deps, metrics } = world();
    await expect(
      fetchAndProcess(request('/india-order.html'), analysis, deps),
    ).resolves.toMatchObject({ status: 'off-story' });
    expect(metrics.totals()).toEqual({
      ArticlesFetched: 1,
      'ArticlesNotStored reason=off-story': 1,
    });
  });

  it('counts a 404 as not stored, reason http-4xx, and nothing as fetched', async () => {
    const { deps, metrics } = world();
    await expect(fetchAndProcess(request('/gone.html'), analysis, deps)).resolves.toMatchObject({
      status: 'skipped',
      reason: 'HTTP 404',
    });
    expect(metrics.recorded).toEqual([
      { name: 'ArticlesNotStored', value: 1, dimensions: { reason: 'http-4xx' } },
    ]);
  });

  it('counts a transient failure by its class before SQS retries it', async () => {
    const { deps, metrics } = world();
    const failing: HttpClient = {
      get: async (url) => {
        throw new FetchError(url, 'timed out after 20000 ms', false);
      },
    };
    await expect(
      fetchAndProcess(request('/slow.html'), analysis, { ...deps, http: failing }),
    ).rejects.toThrow('timed out');
    expect(metrics.totals()).toEqual({ 'ArticlesNotStored reason=timeout': 1 });
  });
});

describe('failureReason', () => {
  it.each([
    ['disallowed by robots.txt', 'robots', true],
    ['robots.txt answered HTTP 503, not crawling the host now', 'robots', false],
    ['HTTP 503', 'http-5xx', false],
    ['HTTP 429: Retry-After 60 s is longer than this run waits', 'http-4xx', false],
    ['body unreadable: timed out after 1500 ms', 'timeout', false],
    ['no response headers in time (UND_ERR_HEADERS_TIMEOUT)', 'timeout', false],
    ['body larger than 5000000 bytes', 'too-large', true],
    ['decoded body larger than 20000000 bytes', 'too-large', true],
    ['address 10.0.0.1 is private, loopback or link-local (refused)', 'refused', true],
    ['connection refused (ECONNREFUSED)', 'network', false],
    ['host not found (ENOTFOUND)', 'network', false],
  ])('classes "%s" as %s', (detail, reason, permanent) => {
    expect(failureReason(new FetchError('https://x.test/a', detail, permanent))).toBe(reason);
  });

  it('classes anything that is not a FetchError (storage, a bug) as internal', () => {
    expect(failureReason(new Error('DynamoDB throttled'))).toBe('internal');
  });
});
