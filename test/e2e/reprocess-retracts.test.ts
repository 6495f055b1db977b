import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoryAnalysis } from '../../lambdas/core/2-fetch/analyse-article.js';
import { articleId } from '../../lambdas/core/2-fetch/article-id.js';
import { EventExtractor, type ExtractableArticle } from '../../lambdas/core/4-extract/events.js';
import { RelevanceFilter } from '../../lambdas/core/4-extract/relevance.js';
import { mentionId } from '../../lambdas/core/5-cluster/developments.js';
import type { StoryEvent } from '../../lambdas/core/model/records.js';
import { type Story, sourceUrl } from '../../lambdas/core/model/story.js';
import { LocalRuntime } from '../../local/local-runtime.js';
import { DEFAULT_STORY } from '../../local/project-paths.js';
import { quiet } from '../support/memory/log.js';
import { type PipelineState, pipelineState, scanTable } from '../support/pipeline-state.js';

/**
 * Issue 15, item 9: re-processing replaces each article's contribution. The sample is collected
 * once with today's extractor (the fresh run); an older extractor, injected through the
 * re-processing use case's dependencies over the same real stores, then re-processes the archive
 * and leaves what it would have said; `{"reprocess": true}` through the backfill handler (today's
 * extractor) must bring the table, the bucket and the week's digest back to the fresh run's,
 * item for item, and again when repeated.
 *
 * The older extractor differs on three articles: it keeps an explainer about another buyer on
 * the story and makes a development of one of its remarks (today it is off the story), types one article's main happening as a statement two days
 * earlier with a sum of money (today: the suspension it is), and finds no main happening in a
 * third (today it does).
 */
const WEEK = '2019-W29';
const PATH = {
  offStory: '/northgate-wire/story/19921-explainer-india-s400-order.html',
  retyped: '/meridian-defence/news/us-suspends-turkey-f35-programme-s400.html',
  understood: '/steppe-gazette/world/turkey-foreign-ministry-f35-unfair.html',
} as const;

/** Every item of the table in key order, and what pipelineState compares (the digest included). */
interface Storage {
  readonly items: Record<string, unknown>[];
  readonly state: PipelineState;
}

describe('re-processing after an extractor change', () => {
  let dataDir: string;
  let runtime: LocalRuntime;
  let origin: string;
  let fresh: Storage;
  let older: Storage;
  const at = (path: string) => `${origin}${path}`;

  async function storage(): Promise<Storage> {
    const { documents } = await import('../../lambdas/adapters/dynamo-documents.js');
    const items = (await scanTable(documents, runtime.aws.table)).sort((a, b) =>
      `${a.pk}\u0000${a.sk}`.localeCompare(`${b.pk}\u0000${b.sk}`),
    );
    return { items, state: await pipelineState(runtime, WEEK) };
  }

  /** The extractor before the change: the story's own, with the three verdicts above. */
  function olderAnalysis(story: Story): StoryAnalysis {
    const olderStory: Story = {
      ...story,
      relevance: {
        ...story.relevance,
        // Another buyer's order counted as the story: the explainer names India, not Turkey.
        require: story.relevance.require.map((group, index) =>
          index === 1 ? [...group, 'India'] : group,
        ),
      },
    };
    const offStory = articleId(at(PATH.offStory));
    const retyped = articleId(at(PATH.retyped));
    const understood = articleId(at(PATH.understood));
    class OlderExtractor extends EventExtractor {
      override extract(article: ExtractableArticle): StoryEvent[] {
        const events = super.extract(article);
        if (article.id === retyped) {
          return events.map((event) =>
            event.role === 'main' && event.date
              ? {
                  ...event,
                  type: 'STATEMENT',
                  date: shiftDay(event.date, -2),
                  precision: 'day',
                  amount: 'USD 9 billion',
                }
              : event,
          );
        }
        if (article.id === offStory) {
          // An undated remark read as the day's news: the explainer makes a development.
          const remark = events.findIndex((event) => event.type === 'STATEMENT' && !event.date);
          return events.map((event, index) =>
            index === remark
              ? {
                  ...event,
                  role: 'main',
                  date: article.publishedAt?.slice(0, 10) ?? null,
                  precision: 'day',
                }
              : event,
          );
        }
        if (article.id === understood) {
          return events.map((event) =>
            event.role === 'main' ? { ...event, role: 'background' } : event,
          );
        }
        return events;
      }
    }
    return {
      story: olderStory,
      relevance: new RelevanceFilter(olderStory.relevance),
      extractor: new OlderExtractor(olderStory),
    };
  }

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'story-digest-reprocess-'));
    runtime = await LocalRuntime.start({
      storyPath: DEFAULT_STORY,
      dataDir,
      sample: true,
      subscribers: [],
      persistent: false,
    });
    const [first] = runtime.story.sources;
    origin = new URL(first ? sourceUrl(first) : '').origin;

    // The fresh run: the sample's sources, and the explainer an operator named (discovery's
    // pre-filter drops it from the feed; named, it is fetched and judged on its text).
    expect(await runtime.handlers.discover.handler()).toMatchObject({ failures: [] });
    expect(await runtime.handlers.backfill.handler({ urls: [at(PATH.offStory)] })).toMatchObject({
      queued: 1,
    });
    expect(await runtime.drainFetchQueue(quiet)).toMatchObject({ failed: 0, deadLettered: [] });
    fresh = await storage();

    // The older extractor's verdicts, written over the fresh run's by re-processing.
    const { reprocessArchive } = await import('../../lambdas/core/1-discover/backfill.js');
    const { tableStores } = await import('../../local/table-stores.js');
    const { S3RawArchive } = await import('../../lambdas/adapters/s3-raw-archive.js');
    const { S3ArticleArchive } = await import('../../lambdas/adapters/s3-article-archive.js');
    const stores = tableStores(runtime.aws.table);
    const result = await reprocessArchive({ dryRun: false }, olderAnalysis(runtime.story), {
      ...stores,
      rawArchive: new S3RawArchive(runtime.aws.bucket),
      articleArchive: new S3ArticleArchive(runtime.aws.bucket),
      log: quiet,
    });
    expect(result).toMatchObject({ reprocessFailed: [] });
    older = await storage();
  });

  afterAll(async () => {
    await runtime?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('the fresh run keeps the explainer off the story and reads the two others with today’s extractor', () => {
    const { articles, coverage, developmentSources } = fresh.state;
    expect(articles[at(PATH.offStory)]).toBeUndefined();
    expect(coverage[WEEK]?.['off-story']).toBeGreaterThanOrEqual(1);
    expect(indexEntries(fresh.items, at(PATH.retyped))).toEqual([
      expect.stringMatching(/^TYPE#s400-turkey#PROGRAM_EXCLUSION 2019-07-1\d#/),
    ]);
    expect(developmentSources[mention(at(PATH.understood))]).toEqual([at(PATH.understood)]);
  });

  it('the older extractor left what it said: the explainer and its development, a statement with a sum, no development for the third', () => {
    const { articles, coverage, developmentSources, digest } = older.state;
    expect(articles[at(PATH.offStory)]).toBe(1);
    expect(developmentSources[mention(at(PATH.offStory))]).toEqual([at(PATH.offStory)]);
    expect(indexEntries(older.items, at(PATH.offStory))).toEqual([
      expect.stringMatching(/^TYPE#s400-turkey#STATEMENT 2019-07-19#/),
    ]);
    expect(older.state.archived.articles).toBe((fresh.state.archived.articles ?? 0) + 1);
    const count = (state: PipelineState, outcome: string) =>
      (state.coverage[WEEK] as Record<string, number> | undefined)?.[outcome] ?? 0;
    expect(count(older.state, 'off-story')).toBe(count(fresh.state, 'off-story') - 1);
    expect(count(older.state, 'not-understood')).toBe(count(fresh.state, 'not-understood') + 1);
    expect(indexEntries(older.items, at(PATH.retyped))).toEqual([
      expect.stringMatching(/^AMOUNT#s400-turkey#STATEMENT 2019-07-1\d#/),
      expect.stringMatching(/^TYPE#s400-turkey#STATEMENT 2019-07-1\d#/),
    ]);
    expect(developmentSources[mention(at(PATH.understood))]).toBeUndefined();
    expect(coverage).not.toEqual(fresh.state.coverage);
    expect(digest).not.toEqual(fresh.state.digest);
  });

  it('re-processing with today’s extractor leaves exactly what the fresh run left: table, archive and digest', async () => {
    const result = await runtime.handlers.backfill.handler({ reprocess: true });
    expect(result).toMatchObject({ reprocessFailed: [], queued: 0 });
    const after = await storage();
    expect(after.state.digest).toEqual(fresh.state.digest);
    expect(after.state).toEqual(fresh.state);
    expect(after.items).toEqual(fresh.items);
  });

  it('is idempotent: re-processing again changes nothing', async () => {
    const result = await runtime.handlers.backfill.handler({ reprocess: true });
    expect(result).toMatchObject({ reprocessFailed: [] });
    const again = await storage();
    expect(again.items).toEqual(fresh.items);
    expect(again.state).toEqual(fresh.state);
  });
});

/** The type-index and amount-index entries of an article's development, as "<pk> <sk>". */
function indexEntries(items: readonly Record<string, unknown>[], url: string): string[] {
  const id = mention(url);
  return items
    .filter((item) => /^(TYPE|AMOUNT)#/.test(String(item.pk)) && String(item.sk).endsWith(`#${id}`))
    .map((item) => `${item.pk} ${item.sk}`);
}

function mention(url: string): string {
  return mentionId('s400-turkey', url);
}

function shiftDay(date: string, days: number): string {
  const day = new Date(`${date.slice(0, 10)}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() + days);
  return day.toISOString().slice(0, 10);
}
