import { describe, expect, it } from 'vitest';
import { loadStoryFile } from '../../lambdas/adapters/story-file.js';
import { AddressUrlPolicy } from '../../lambdas/adapters/url-policy.js';
import { backfill, MAX_LISTED_REJECTIONS } from '../../lambdas/core/1-discover/backfill.js';
import { parseBackfillPayload } from '../../lambdas/core/1-discover/backfill-payload.js';
import { EventExtractor } from '../../lambdas/core/4-extract/events.js';
import { RelevanceFilter } from '../../lambdas/core/4-extract/relevance.js';
import type { HttpClient } from '../../lambdas/core/ports/http.js';
import { DEFAULT_STORY } from '../../local/project-paths.js';
import { MemoryArticleArchive, MemoryRawArchive } from '../support/memory/archives.js';
import { MemoryArticleStore } from '../support/memory/article-store.js';
import { MemoryCoverageLedger } from '../support/memory/coverage-ledger.js';
import { MemoryDeadLetterQueue } from '../support/memory/dead-letter-queue.js';
import { MemoryDevelopmentStore } from '../support/memory/development-store.js';
import { MemoryFetchFailures } from '../support/memory/fetch-failures.js';
import { MemoryFetchQueue } from '../support/memory/fetch-queue.js';
import { quiet } from '../support/memory/log.js';
import { MemoryUrlLedger } from '../support/memory/url-ledger.js';

const story = loadStoryFile(DEFAULT_STORY);
const analysis = {
  story,
  relevance: new RelevanceFilter(story.relevance),
  extractor: new EventExtractor(story),
};

/** The use case over in-memory ports: what it claims and queues, and nothing on the network. */
function run(payload: unknown, known: readonly string[] = []) {
  const seenUrls = new MemoryUrlLedger(known);
  const queue = new MemoryFetchQueue();
  const offline: HttpClient = {
    get: () => {
      throw new Error('a backfill of URLs reads no document');
    },
  };
  return backfill(story, parseBackfillPayload(payload, story), analysis, {
    seenUrls,
    queue,
    deadLetters: new MemoryDeadLetterQueue([], queue),
    failures: new MemoryFetchFailures(),
    rawArchive: new MemoryRawArchive(),
    articleArchive: new MemoryArticleArchive(),
    articles: new MemoryArticleStore(),
    developments: new MemoryDevelopmentStore(),
    coverage: new MemoryCoverageLedger(),
    http: offline,
    urls: new AddressUrlPolicy(false),
    log: quiet,
    now: () => new Date('2026-01-05T00:00:00Z'),
  }).then((result) => ({
    result,
    queued: queue.sent.map((request) => request.url),
    claimed: new Set(seenUrls.claims.keys()),
  }));
}

describe('backfill rules for explicit URLs', () => {
  it('rejects private addresses and non-http(s) links, keeps undated URLs the operator named, and judges dated ones by the range', async () => {
    const { result, queued } = await run({
      urls: [
        'https://example.com/news/undated-story.html',
        'https://example.com/2019/07/15/in-range.html',
        'https://example.com/2019/08/01/after-range.html',
        'http://127.0.0.1/admin',
        'http://[::1]:8080/x',
        'http://169.254.169.254/latest/meta-data/',
        'http://intranet.localhost/x',
        'http://10.1.2.3/x',
        'mailto:editor@example.com',
        'https://example.com/news/undated-story.html#comments',
      ],
      from: '2019-07-01',
      to: '2019-07-31',
    });
    expect(queued).toEqual([
      'https://example.com/news/undated-story.html',
      'https://example.com/2019/07/15/in-range.html',
    ]);
    expect(result).toMatchObject({
      considered: 9,
      queued: 2,
      skippedKnown: 0,
      rejectedByReason: {
        'outside the date range': 1,
        'private address': 5,
        'not an http(s) URL': 1,
      },
    });
    expect(result.rejected).toContainEqual({
      url: 'https://example.com/2019/08/01/after-range.html',
      reason: 'outside the date range',
      detail: '2019-08-01',
    });
  });

  it('in a dry run counts known URLs from the store without claiming or queueing anything', async () => {
    const { result, queued, claimed } = await run(
      { urls: ['https://example.com/a.html', 'https://example.com/b.html'], dryRun: true },
      ['https://example.com/a.html'],
    );
    expect(result).toMatchObject({ dryRun: true, queued: 1, skippedKnown: 1 });
    expect(queued).toEqual([]);
    expect([...claimed]).toEqual(['https://example.com/a.html']);
  });

  it('lists a bounded number of rejections and counts them all', async () => {
    const urls = Array.from({ length: MAX_LISTED_REJECTIONS + 50 }, (_, i) => `ftp://x/${i}`);
    const { result } = await run({ urls });
    expect(result.rejected).toHaveLength(MAX_LISTED_REJECTIONS);
    expect(result.rejectedByReason).toEqual({ 'not an http(s) URL': MAX_LISTED_REJECTIONS + 50 });
    expect(result.considered).toBe(MAX_LISTED_REJECTIONS + 50);
  });

  it('lets a story that allows private networks (the sample, tests) through', () => {
    expect(new AddressUrlPolicy(true).refusal('http://127.0.0.1:8080/a')).toBeUndefined();
    expect(new AddressUrlPolicy(false).refusal('https://example.com/a')).toBeUndefined();
    expect(new AddressUrlPolicy(false).refusal('http://[::ffff:127.0.0.1]/a')).toBe(
      'private address',
    );
  });
});
