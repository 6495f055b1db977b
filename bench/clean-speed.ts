/**
 * Cleaning speed, in one process on the same pages: a bare htmlparser2 parse (the floor), our
 * cleaner (pre-scan + parse + metadata + main text), and Readability.js on jsdom (the
 * reference most extractors are compared with). Pages: each reference set of ../shared/eval-data
 * that is there (extraction, pubdate, wcxb-dev), else the bundled sample site. The cleaner's
 * budget is 3× the bare parse on each set.
 *
 *   npm run bench
 *   npx tsx bench/clean-speed.ts --no-readability     without the (slow) reference, which is
 *                                                     otherwise timed on the first set only
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Readability } from '@mozilla/readability';
import { parseDocument } from 'htmlparser2';
import { JSDOM, VirtualConsole } from 'jsdom';
import { decodeBody } from '../lambdas/core/2-fetch/charset.js';
import { cleanHtml } from '../lambdas/core/3-clean/article.js';
import { PROJECT_ROOT, SAMPLE_SITE_DIR } from '../local/project-paths.js';

const EVAL_DATA = resolve(PROJECT_ROOT, '..', 'shared', 'eval-data');
const SETS = ['extraction', 'pubdate', 'wcxb-dev'];
const ROUNDS = 7;
const BUDGET = 3;
const withReadability = !process.argv.includes('--no-readability');
/** Readability.js costs a minute a set: the reference is timed on the first set only. */
let readabilitySets = 1;

interface PageSet {
  readonly source: string;
  readonly html: readonly string[];
}

function pageSets(): PageSet[] {
  const sets = SETS.map((name) => join(EVAL_DATA, name, 'html')).filter((dir) => existsSync(dir));
  if (sets.length) {
    return sets.map((dir) => {
      const files = readdirSync(dir).filter((file) => file.endsWith('.gz'));
      return {
        source: `${files.length} pages of eval-data/${dir.split('/').at(-2)}`,
        html: files.map((file) => decodeBody(gunzipSync(readFileSync(join(dir, file))), undefined)),
      };
    });
  }
  const files = readdirSync(SAMPLE_SITE_DIR, { recursive: true, encoding: 'utf8' }).filter((file) =>
    file.endsWith('.html'),
  );
  return [
    {
      source: `${files.length} sample pages`,
      html: files.map((file) => readFileSync(join(SAMPLE_SITE_DIR, file), 'utf8')),
    },
  ];
}

/**
 * Median time per page of each kind of work over ROUNDS passes, after one warm-up pass; the
 * passes alternate between the kinds, so that a slow moment of the machine or a collection of
 * the other's garbage falls on both.
 */
function measure(html: readonly string[], ...works: ((page: string) => unknown)[]): number[] {
  for (const work of works) for (const page of html) work(page);
  const rounds = works.map(() => [] as number[]);
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const [index, work] of works.entries()) {
      const started = performance.now();
      for (const page of html) work(page);
      rounds[index]?.push((performance.now() - started) / html.length);
    }
  }
  return rounds.map((times) => {
    times.sort((a, b) => a - b);
    return times[Math.floor(times.length / 2)] ?? Number.NaN;
  });
}

const now = new Date();
const quiet = new VirtualConsole();
let failed = false;
for (const { source, html } of pageSets()) {
  const [parse = Number.NaN, clean = Number.NaN] = measure(
    html,
    (page) => parseDocument(page),
    (page) => cleanHtml(page, undefined, now),
  );
  const ratio = clean / parse;
  if (ratio > BUDGET) failed = true;
  console.log(`cleaning speed on ${source}, median of ${ROUNDS} passes`);
  console.log(`  bare htmlparser2 parse      ${parse.toFixed(2).padStart(7)} ms/page   1.0×`);
  console.log(
    `  story-digest cleanHtml      ${clean.toFixed(2).padStart(7)} ms/page   ${ratio.toFixed(1)}× the bare parse (budget ${BUDGET}×: ${ratio > BUDGET ? 'FAIL' : 'pass'})`,
  );
  if (withReadability && readabilitySets-- > 0) {
    const [readability = Number.NaN] = measure(html, (page) => {
      const dom = new JSDOM(page, { virtualConsole: quiet });
      const article = new Readability(dom.window.document).parse();
      dom.window.close();
      return article;
    });
    console.log(
      `  Readability.js + jsdom      ${readability.toFixed(2).padStart(7)} ms/page   ${(readability / parse).toFixed(1)}× the bare parse (reference)`,
    );
  }
}
if (failed) process.exitCode = 1;
