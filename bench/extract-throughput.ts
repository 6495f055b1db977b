/**
 * Event extraction throughput, in one process on the same articles: sentence splitting alone
 * (the floor every extractor pays) and the whole extraction (typing, entities, dates, roles,
 * main event). Articles: the project's story corpus (eval/story-corpus), its headline apart.
 *
 *   npm run bench
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadStoryFile } from '../lambdas/adapters/story-file.js';
import { EventExtractor } from '../lambdas/core/4-extract/events.js';
import { splitSentences } from '../lambdas/core/4-extract/sentences.js';
import { readArticleFile } from '../local/clean-files.js';
import { DEFAULT_STORY, PROJECT_ROOT } from '../local/project-paths.js';

const CORPUS = join(PROJECT_ROOT, 'eval', 'story-corpus', 'articles');
const ROUNDS = 5;

const articles = readdirSync(CORPUS)
  .filter((file) => file.endsWith('.txt'))
  .map((file) => {
    const { title, text } = readArticleFile(join(CORPUS, file));
    return {
      id: file,
      title,
      text,
      publishedAt: '2020-01-01T00:00:00Z',
      firstSeenAt: '2020-01-01T00:00:00Z',
    };
  });
const sentences = articles.reduce(
  (total, article) => total + splitSentences(article.text).length,
  0,
);
const extractor = new EventExtractor(loadStoryFile(DEFAULT_STORY));

/** Passes per round: one pass of splitting alone takes about a millisecond, too short to time. */
const PASSES = 20;

/** Median seconds for one pass over every article, after a warm-up round. */
function measure(work: (article: (typeof articles)[number]) => unknown): number {
  const round = () => {
    const started = performance.now();
    for (let pass = 0; pass < PASSES; pass += 1) for (const article of articles) work(article);
    return (performance.now() - started) / 1000 / PASSES;
  };
  round();
  const rounds = Array.from({ length: ROUNDS }, round);
  rounds.sort((a, b) => a - b);
  return rounds[Math.floor(rounds.length / 2)] ?? Number.NaN;
}

const split = measure((article) => splitSentences(article.text));
const extract = measure((article) => extractor.extract(article));
const rate = (seconds: number) =>
  `${Math.round(sentences / seconds).toLocaleString('en')} sentences/s  ${Math.round(articles.length / seconds).toLocaleString('en')} articles/s`;

console.log(
  `\nevent extraction on ${articles.length} articles (${sentences} sentences) of eval/story-corpus, median of ${ROUNDS} passes`,
);
console.log(`sentence splitting alone   ${rate(split)}   1.0× (floor)`);
console.log(
  `story-digest extraction    ${rate(extract)}   ${(extract / split).toFixed(0)}× the splitting`,
);
