/**
 * Which articles of the real corpora have no cached text, by the query that finds them again:
 *
 *   npx tsx eval/real-corpus/cache-status.ts
 */
import { CORPUS_STORIES, loadRealCorpus } from '../real-corpus.js';

for (const name of Object.keys(CORPUS_STORIES)) {
  const corpus = loadRealCorpus(name);
  const missing = corpus.articles.filter((article) => !corpus.texts.has(article.id));
  const byQuery = new Map<string, string[]>();
  for (const article of missing) {
    byQuery.set(article.query, [...(byQuery.get(article.query) ?? []), article.id]);
  }
  const queries = new Set(corpus.articles.map((article) => article.query)).size;
  console.log(
    `${name}: ${corpus.texts.size}/${corpus.articles.length} texts cached, ${queries} distinct queries; ${byQuery.size} to run again`,
  );
  for (const [query, ids] of byQuery) console.log(`  ${JSON.stringify(query)}: ${ids.join(' ')}`);
}
