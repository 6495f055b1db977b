import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadStoryFile } from '../../lambdas/adapters/story-file.js';
import { analyseArticle } from '../../lambdas/core/2-fetch/analyse-article.js';
import { EventExtractor } from '../../lambdas/core/4-extract/events.js';
import { RelevanceFilter } from '../../lambdas/core/4-extract/relevance.js';
import { composeDigest } from '../../lambdas/core/6-digest/compose-digest.js';
import { DEFAULT_STORY } from '../../local/project-paths.js';
import { MemoryArticleArchive } from '../support/memory/archives.js';
import { MemoryArticleStore } from '../support/memory/article-store.js';
import { MemoryCoverageLedger } from '../support/memory/coverage-ledger.js';
import { MemoryDeliveryLedger } from '../support/memory/delivery-ledger.js';
import { MemoryDevelopmentStore } from '../support/memory/development-store.js';
import { quiet } from '../support/memory/log.js';
import { MemorySourceStates } from '../support/memory/source-states.js';
import { MemoryUrlLedger } from '../support/memory/url-ledger.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'developments');
const story = loadStoryFile(DEFAULT_STORY);
const analysis = {
  story,
  relevance: new RelevanceFilter(story.relevance),
  extractor: new EventExtractor(story),
};
const meta = JSON.parse(readFileSync(join(FIXTURES, 'articles.json'), 'utf8')) as Record<
  string,
  { outlet: string; url: string; publishedAt: string }
>;

/** The fixture articles analysed as the fetch Lambda analyses a page, over in-memory ports. */
async function analysed(names: readonly string[]) {
  const developments = new MemoryDevelopmentStore();
  const articles = new MemoryArticleStore();
  const outcomes = new Map<string, string>();
  for (const name of names) {
    const [title = '', ...text] = readFileSync(join(FIXTURES, `${name}.txt`), 'utf8').split('\n');
    const { outlet, url, publishedAt } = meta[name] ?? { outlet: '', url: '', publishedAt: '' };
    const outcome = await analyseArticle(
      {
        id: name,
        storyId: story.id,
        url,
        sourceId: 'test',
        title,
        outlet,
        // The page's declared language is left out: the text tells it.
        lang: undefined,
        publishedAt,
        firstSeenAt: publishedAt,
        fetchedAt: publishedAt,
        text: text.join('\n').trim(),
        rawKey: '',
      },
      analysis,
      {
        seenUrls: new MemoryUrlLedger(),
        articleArchive: new MemoryArticleArchive(),
        articles,
        developments,
        log: quiet,
      },
    );
    outcomes.set(name, outcome.status);
  }
  const digest = (week: string) =>
    composeDigest(story, week, {
      developments,
      articles,
      coverage: new MemoryCoverageLedger(),
      sourceStates: new MemorySourceStates(),
      deliveries: new MemoryDeliveryLedger(),
    });
  return { outcomes, digest };
}

const outletsOf = (item: { sources: readonly { outlet: string }[] } | undefined) =>
  item?.sources.map((source) => source.outlet).sort();

describe('developments in any language', () => {
  it('attaches a Turkish and a Russian report to the delivery an English one reports', async () => {
    const { digest } = await analysed(['en-delivery', 'tr-delivery', 'ru-delivery']);
    const { items } = await digest('2019-W28');
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ type: 'DELIVERY', date: '2019-07-12' });
    expect(outletsOf(items[0])).toEqual(['Anadolu Günlük', 'Meridian Wire', 'Северная лента']);
  });

  it('reads a copy whose Latin letters were swapped for Cyrillic look-alikes as the original', async () => {
    const { outcomes, digest } = await analysed(['en-delivery', 'en-delivery-lookalikes']);
    expect(outcomes.get('en-delivery-lookalikes')).toBe('stored');
    const { items } = await digest('2019-W28');
    expect(items).toHaveLength(1);
    expect(outletsOf(items[0])).toEqual(['Copy Desk Daily', 'Meridian Wire']);
  });

  it('makes one item of one decision that three outlets word differently', async () => {
    const { digest } = await analysed([
      'en-exclusion-white-house',
      'en-exclusion-pentagon',
      'en-exclusion-wire',
    ]);
    const { items } = await digest('2019-W29');
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ type: 'PROGRAM_EXCLUSION', date: '2019-07-17' });
    expect(items[0]?.sources).toHaveLength(3);
  });

  it('keeps an article on the story that names Greece more often than the S-400', async () => {
    const { outcomes, digest } = await analysed(['en-test-greece']);
    expect(outcomes.get('en-test-greece')).toBe('stored');
    const { items } = await digest('2020-W42');
    expect(items.map((item) => [item.type, item.date])).toEqual([
      ['TEST_ACTIVATION', '2020-10-16'],
    ]);
  });
});
