/**
 * Developments on the real-article corpora (eval/real-corpus): every article of a half is analysed
 * as the fetch Lambda analyses a page, over in-memory ports, then each week's digest is composed
 * as `story-digest digest --format json` composes it, and the shared scorer
 * (../shared/eval/score-developments.mjs) compares the digests with the gold timeline.
 *
 *   npx tsx eval/developments.ts [--corpus NAME] [--half tuned|held-out] [--verbose]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadStoryFile } from '../lambdas/adapters/story-file.js';
import { analyseArticle, type StoryAnalysis } from '../lambdas/core/2-fetch/analyse-article.js';
import { EventExtractor } from '../lambdas/core/4-extract/events.js';
import { RelevanceFilter } from '../lambdas/core/4-extract/relevance.js';
import { composeDigest } from '../lambdas/core/6-digest/compose-digest.js';
import { digestJson } from '../lambdas/core/6-digest/digest.js';
import { isoWeekOf, localDay } from '../lambdas/core/model/iso-week.js';
import type { Story } from '../lambdas/core/model/story.js';
import { PROJECT_ROOT } from '../local/project-paths.js';
import { MemoryArticleArchive } from '../test/support/memory/archives.js';
import { MemoryArticleStore } from '../test/support/memory/article-store.js';
import { MemoryCoverageLedger } from '../test/support/memory/coverage-ledger.js';
import { MemoryDeliveryLedger } from '../test/support/memory/delivery-ledger.js';
import { MemoryDevelopmentStore } from '../test/support/memory/development-store.js';
import { quiet } from '../test/support/memory/log.js';
import { MemorySourceStates } from '../test/support/memory/source-states.js';
import { MemoryUrlLedger } from '../test/support/memory/url-ledger.js';
import {
  CORPUS_STORIES,
  type CorpusArticle,
  headlineAndText,
  loadRealCorpus,
  type RealCorpus,
} from './real-corpus.js';
import { HALVES, type Half, halfOf } from './split.js';

const SCORER = join(PROJECT_ROOT, '..', 'shared', 'eval', 'score-developments.mjs');
const OUT = join(PROJECT_ROOT, '.local', 'eval', 'developments');

/** The figures score-developments.mjs prints, and the misses it lists with --verbose, by kind. */
export interface DevelopmentScore {
  readonly articles: number;
  readonly gold: number;
  readonly items: number;
  readonly recall: number;
  readonly precision: number;
  readonly duplicates: number;
  readonly leakage: number;
  readonly typeAccuracy: number;
  readonly dateF1: number;
  readonly misses: Readonly<Record<string, number>>;
}

/** The half of the corpus an article belongs to: every report of one happening in the same half. */
export function articleHalf(article: CorpusArticle): Half {
  return halfOf(article.main_event ?? article.id);
}

/** Each week's digest of the articles, as JSON lines, composed as the digest Lambda composes it. */
export async function digestsOf(
  story: Story,
  corpus: RealCorpus,
  articles: readonly CorpusArticle[],
  explain?: (article: CorpusArticle, mention: string) => void,
): Promise<string[]> {
  const analysis: StoryAnalysis = {
    story,
    relevance: new RelevanceFilter(story.relevance),
    extractor: new EventExtractor(story),
  };
  const developments = new MemoryDevelopmentStore();
  const articleStore = new MemoryArticleStore();
  const deps = {
    seenUrls: new MemoryUrlLedger(),
    articleArchive: new MemoryArticleArchive(),
    articles: articleStore,
    developments,
    log: quiet,
  };
  const weeks = new Set<string>();
  const ordered = [...articles].sort(
    (a, b) => a.published.localeCompare(b.published) || a.id.localeCompare(b.id),
  );
  for (const article of ordered) {
    const cached = corpus.texts.get(article.id);
    if (cached === undefined) continue;
    // The day is all the annotation gives: noon UTC is that day in every story's time zone.
    const publishedAt = `${article.published}T12:00:00.000Z`;
    weeks.add(isoWeekOf(localDay(new Date(publishedAt), story.timeZone)));
    const outcome = await analyseArticle(
      {
        id: article.id,
        storyId: story.id,
        url: article.url,
        sourceId: 'eval',
        ...headlineAndText(cached),
        outlet: article.outlet,
        lang: undefined,
        publishedAt,
        firstSeenAt: publishedAt,
        fetchedAt: publishedAt,
        rawKey: '',
      },
      analysis,
      deps,
    );
    if (explain) {
      const stored = [...developments.developments.values()].find(
        (development) => developments.sources.get(development.id)?.articleId === article.id,
      );
      explain(
        article,
        stored
          ? `${stored.type} ${stored.date} | ${stored.summary.slice(0, 100)}`
          : outcome.status === 'off-story'
            ? `off-story: ${outcome.reason}`
            : 'no mention',
      );
    }
  }
  const composeDeps = {
    developments,
    articles: articleStore,
    coverage: new MemoryCoverageLedger(),
    sourceStates: new MemorySourceStates(),
    deliveries: new MemoryDeliveryLedger(),
  };
  const digests: string[] = [];
  for (const week of [...weeks].sort()) {
    digests.push(digestJson(await composeDigest(story, week, composeDeps)));
  }
  return digests;
}

/** One half of one corpus: its digests, scored against its part of the gold timeline. */
export async function scoreHalf(corpus: RealCorpus, half: Half): Promise<DevelopmentScore> {
  const story = loadStoryFile(corpus.storyFile);
  const articles = corpus.articles.filter((article) => articleHalf(article) === half);
  const ids = new Set(articles.map((article) => article.id));
  const timeline = corpus.timeline
    .map((development) => ({
      ...development,
      sources: development.sources.filter((source) => ids.has(source)),
    }))
    .filter((development) => development.sources.length > 0);
  const digests = await digestsOf(story, corpus, articles);
  mkdirSync(OUT, { recursive: true });
  const base = join(OUT, `${corpus.name}-${half}`);
  writeFileSync(`${base}.articles.jsonl`, articles.map((a) => JSON.stringify(a)).join('\n'));
  writeFileSync(`${base}.timeline.json`, JSON.stringify(timeline));
  writeFileSync(`${base}.digests.jsonl`, digests.join('\n'));
  const output = execFileSync(
    process.execPath,
    [
      SCORER,
      ...['--articles', `${base}.articles.jsonl`, '--timeline', `${base}.timeline.json`],
      ...['--digests', `${base}.digests.jsonl`, '--verbose'],
    ],
    { encoding: 'utf8' },
  );
  writeFileSync(`${base}.misses.txt`, output);
  const figure = (name: string) => Number(new RegExp(`${name} (\\S+)`).exec(output)?.[1] ?? 'NaN');
  const misses: Record<string, number> = {};
  for (const line of output.split('\n').filter((l) => l.startsWith('['))) {
    const kind = String((JSON.parse(line) as unknown[])[0]);
    misses[kind] = (misses[kind] ?? 0) + 1;
  }
  return {
    articles: articles.filter((article) => corpus.texts.has(article.id)).length,
    gold: figure('gold developments'),
    items: figure('items'),
    recall: figure('recall'),
    precision: figure('precision'),
    duplicates: figure('duplicates'),
    leakage: figure('leakage'),
    typeAccuracy: figure('type-acc'),
    dateF1: figure('date-F1'),
    misses,
  };
}

const GOALS: readonly [string, keyof DevelopmentScore, string][] = [
  ['recall: gold developments in the week of their first report', 'recall', '≥ 0.95'],
  ['precision: items that are a right development in the right week', 'precision', '≥ 0.90'],
  ['duplicate items for a development already shown', 'duplicates', '≤ 1'],
  ['leakage: items from off-story articles only', 'leakage', '0'],
  ['type accuracy of matched developments', 'typeAccuracy', '≥ 0.85'],
  ['date F1 (item dates vs gold dates)', 'dateF1', '≥ 0.90'],
];

/** Both halves of each corpus whose texts are cached, as a table; nothing without the scorer. */
export async function evaluateDevelopments(
  options: { corpora?: readonly string[]; halves?: readonly Half[] } = {},
): Promise<void> {
  if (!existsSync(SCORER)) {
    console.log(`\ndevelopments: ${SCORER} is not there; the real corpora are not scored`);
    return;
  }
  for (const name of options.corpora ?? Object.keys(CORPUS_STORIES)) {
    const corpus = loadRealCorpus(name);
    const missing = corpus.articles.length - corpus.texts.size;
    if (corpus.texts.size === 0) {
      console.log(`\ndevelopments, ${name}: no cached texts (see eval/real-corpus/README.md)`);
      continue;
    }
    const halves = options.halves ?? HALVES;
    const scores = new Map<Half, DevelopmentScore>();
    for (const half of halves) scores.set(half, await scoreHalf(corpus, half));
    const cell = (value: number | undefined, key: keyof DevelopmentScore) =>
      value === undefined
        ? ''
        : key === 'duplicates' || key === 'leakage'
          ? String(value)
          : value.toFixed(3);
    console.log(
      `\ndevelopments, ${name} (${corpus.articles.length} articles${missing ? `, ${missing} without cached text` : ''}):`,
    );
    console.log(
      `  ${'measure'.padEnd(66)} ${halves.map((half) => half.padStart(9)).join(' ')}  goal`,
    );
    for (const [label, key, goal] of GOALS) {
      const values = halves.map((half) =>
        cell(scores.get(half)?.[key] as number | undefined, key).padStart(9),
      );
      console.log(`  ${label.padEnd(66)} ${values.join(' ')}  ${goal}`);
    }
    for (const half of halves) {
      const score = scores.get(half);
      if (!score) continue;
      const misses = Object.entries(score.misses)
        .map(([kind, count]) => `${kind} ${count}`)
        .join(', ');
      console.log(
        `  ${half}: ${score.articles} articles, ${score.gold} gold developments, ${score.items} items; misses by kind: ${misses || 'none'}`,
      );
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name: string) => {
    const at = process.argv.indexOf(name);
    return at > 0 ? process.argv[at + 1] : undefined;
  };
  const corpus = arg('--corpus');
  const half = arg('--half') as Half | undefined;
  if (process.argv.includes('--explain')) {
    // Article by article, the tuned half only: the held-out half is measured, never studied.
    const loaded = loadRealCorpus(corpus ?? 's400-turkey');
    const gold = new Map(loaded.timeline.map((development) => [development.id, development]));
    const tuned = loaded.articles.filter((article) => articleHalf(article) === 'tuned');
    await digestsOf(loadStoryFile(loaded.storyFile), loaded, tuned, (article, mention) => {
      const expected = article.main_event ? gold.get(article.main_event) : undefined;
      const title = headlineAndText(loaded.texts.get(article.id) ?? '').title.slice(0, 70);
      console.log(
        `${article.id} ${article.language} ${article.published} gold ${expected ? `${expected.id} ${expected.type} ${expected.date}` : article.relevant ? '(none)' : '(off)'}\n    ours ${mention}\n    title ${title}`,
      );
    });
  } else
    await evaluateDevelopments({
      ...(corpus ? { corpora: [corpus] } : {}),
      ...(half ? { halves: [half] } : {}),
    });
}
