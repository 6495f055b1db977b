/**
 * `npm run eval`: measures the cleaner on real pages kept in ../shared (when it is there), each
 * set with the reference scorer shipped beside it and in two halves (eval/split.ts): main-text
 * F1 on the article-extraction benchmark's 101 pages, publication-date accuracy on htmldate's
 * 200 pages, both on the web-content-extraction benchmark's 300 development pages; then the
 * seed articles' boilerplate lines and the event extractor. Predictions are written to
 * .local/eval/ for inspection.
 *
 *   npm run eval                          everything
 *   npm run eval -- --clean-only          the cleaning sets and the seeds only
 *   npm run eval -- --set wcxb-dev        one set (repeatable; implies --clean-only)
 *   npm run eval -- --worst 20            also list the worst pages of each set's tuned half
 *
 * Last, the digests of the real-article corpora (eval/developments.ts), both halves.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadStoryFile } from '../lambdas/adapters/story-file.js';
import { cleanText } from '../lambdas/core/3-clean/article.js';
import { EventExtractor } from '../lambdas/core/4-extract/events.js';
import { RelevanceFilter } from '../lambdas/core/4-extract/relevance.js';
import {
  duplicateOf,
  type Fingerprint,
  signature,
} from '../lambdas/core/5-cluster/near-duplicates.js';
import { readArticleFile } from '../local/clean-files.js';
import { PROJECT_ROOT } from '../local/project-paths.js';
import { evaluateCleaning } from './cleaning-sets.js';
import { evaluateDevelopments } from './developments.js';
import { type GoldEvent, scoreArticle, summarise } from './event-scoring.js';

const SHARED = resolve(PROJECT_ROOT, '..', 'shared');
const OUT = join(PROJECT_ROOT, '.local', 'eval');
/** Dates after today are rejected as they would be for a freshly fetched page. */
const NOW = new Date();

function seeds(): void {
  const gold = JSON.parse(readFileSync(join(SHARED, 'corpus', 'seeds.gold.json'), 'utf8')) as {
    articles: { file: string; boilerplate: string[] }[];
  };
  let left = 0;
  let total = 0;
  let body = 0;
  let bodyKept = 0;
  for (const article of gold.articles) {
    const source = readFileSync(join(SHARED, 'corpus', 'seeds', article.file), 'utf8');
    const text = cleanText(source);
    for (const line of article.boilerplate) {
      total += 1;
      if (text.includes(line.trim())) {
        left += 1;
        console.log(`  still there (${article.file}): ${line}`);
      }
    }
    // Body paragraphs: every line of the seed that no boilerplate entry begins.
    const paragraphs = source
      .split(/\r?\n/)
      .map((line) => line.replace(/\s+/g, ' ').trim())
      .filter(
        (line) => line && !article.boilerplate.some((entry) => line.startsWith(entry.trim())),
      );
    for (const paragraph of paragraphs) {
      body += 1;
      if (text.includes(paragraph)) bodyKept += 1;
      else console.log(`  body paragraph lost (${article.file}): ${paragraph.slice(0, 100)}`);
    }
  }
  console.log(
    `\nseeds: boilerplate lines removed ${total - left}/${total}, body paragraphs kept ${bodyKept}/${body}`,
  );
}

interface GoldArticle {
  readonly file: string;
  readonly published: string;
  readonly outlet?: string;
  readonly relevant?: boolean;
  readonly duplicate_of?: string | null;
  readonly events: readonly GoldEvent[];
}

const story = loadStoryFile(join(PROJECT_ROOT, 'stories', 's400-turkey.json'));
const extractor = new EventExtractor(story);
const relevance = new RelevanceFilter(story.relevance);

/**
 * Events of hand-annotated articles, each given its gold publication date as page metadata
 * would give it: per-article precision and recall, date, type and role accuracy.
 */
function events(name: string, dir: string, articles: readonly GoldArticle[]): void {
  console.log(`\nevents, ${name} (${articles.length} articles):`);
  const relevanceMisses: string[] = [];
  const fingerprints: { file: string; goldCopyOf: string | undefined; fingerprint: Fingerprint }[] =
    [];
  const scores = articles.map((article) => {
    // Plain text with the headline first, read as `story-digest extract` reads it.
    const { title, text } = readArticleFile(join(dir, article.file));
    // As in the pipeline, an article judged off the story yields no events.
    const judged = relevance.judge({ title, text });
    if (article.relevant !== undefined && judged.relevant !== article.relevant) {
      relevanceMisses.push(
        `${article.file}: judged ${judged.relevant ? 'on' : 'off'} the story (${judged.reason})`,
      );
    }
    const predicted = judged.relevant
      ? extractor.extract({
          id: article.file,
          title,
          text,
          publishedAt: article.published,
          firstSeenAt: article.published,
        })
      : [];
    const main = predicted.find((event) => event.role === 'main');
    fingerprints.push({
      file: article.file,
      goldCopyOf: article.duplicate_of ?? undefined,
      fingerprint: {
        articleId: article.file,
        publishedAt: article.published,
        signature: signature(`${title}\n${text}`),
        mainEvent: main ? `${main.type}|${main.date}` : undefined,
      },
    });
    const score = scoreArticle(article.events, predicted);
    const percent = (part: number, whole: number) =>
      whole === 0 ? '  - ' : `${Math.round((100 * part) / whole)}%`.padStart(4);
    console.log(
      `  ${article.file.padEnd(44)} gold ${String(score.gold).padStart(2)}  found ${String(score.predicted).padStart(2)}  P ${percent(score.correct, score.predicted)}  R ${percent(score.found, score.gold)}  main ${score.gold === 0 ? '-' : score.mainFound ? 'yes' : 'NO'}`,
    );
    for (const wrong of score.oldAsNew)
      console.log(`      old news as new: ${wrong.slice(0, 110)}`);
    return score;
  });
  const total = summarise(scores);
  const fixed = (value: number) => value.toFixed(3);
  console.log(
    `  precision ${fixed(total.precision)}  recall ${fixed(total.recall)}  date ${fixed(total.dateAccuracy)}  type ${fixed(total.typeAccuracy)}  role ${fixed(total.roleAccuracy)}`,
  );
  console.log(
    `  main event found (type and date) ${total.mainFound}/${total.withMain}; background or planned marked main/new: ${total.oldAsNew}`,
  );
  nearDuplicates(fingerprints);
  const labelled = articles.filter((article) => article.relevant !== undefined).length;
  if (labelled) {
    console.log(`  relevance right ${labelled - relevanceMisses.length}/${labelled}`);
    for (const miss of relevanceMisses) console.log(`    ${miss}`);
  }
}

/** Each article against those published before it, as the pipeline meets them. */
function nearDuplicates(
  articles: readonly { file: string; goldCopyOf: string | undefined; fingerprint: Fingerprint }[],
): void {
  const labelled = articles.filter((article) => article.goldCopyOf !== undefined).length;
  if (labelled === 0) return;
  let found = 0;
  const wrong: string[] = [];
  for (const [index, article] of articles.entries()) {
    const earlier = articles.slice(0, index).map((other) => other.fingerprint);
    const copied = duplicateOf(article.fingerprint, earlier)?.articleId;
    if (copied && copied === article.goldCopyOf) found += 1;
    else if (copied !== article.goldCopyOf) {
      wrong.push(
        `${article.file}: ${copied ? `found a copy of ${copied}` : `missed its original ${article.goldCopyOf}`}`,
      );
    }
  }
  console.log(`  near-duplicates found ${found}/${labelled}`);
  for (const line of wrong) console.log(`    ${line}`);
}

function goldOf(path: string): GoldArticle[] {
  return (JSON.parse(readFileSync(path, 'utf8')) as { articles: GoldArticle[] }).articles;
}

const { values: flags } = parseArgs({
  options: {
    'clean-only': { type: 'boolean', default: false },
    set: { type: 'string', multiple: true, default: [] },
    worst: { type: 'string', default: '0' },
  },
});
const cleanOnly = flags['clean-only'] || flags.set.length > 0;
const CORPUS = join(PROJECT_ROOT, 'eval', 'story-corpus');
if (!existsSync(SHARED)) {
  console.log(`no reference data at ${SHARED}: only the project's own story corpus is evaluated`);
} else {
  mkdirSync(OUT, { recursive: true });
  evaluateCleaning({
    shared: SHARED,
    out: OUT,
    now: NOW,
    sets: flags.set,
    worst: Number(flags.worst) || 0,
  });
  if (flags.set.length === 0) seeds();
  if (!cleanOnly) {
    events(
      'seeds',
      join(SHARED, 'corpus', 'seeds'),
      goldOf(join(SHARED, 'corpus', 'seeds.gold.json')),
    );
  }
}
if (!cleanOnly && existsSync(join(CORPUS, 'gold.json'))) {
  events('story corpus', join(CORPUS, 'articles'), goldOf(join(CORPUS, 'gold.json')));
}
if (!cleanOnly) {
  // The real-article corpora: what the digest shows, scored in two halves with the shared scorer.
  await evaluateDevelopments();
}
