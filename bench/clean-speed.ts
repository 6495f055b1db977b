/**
 * Cleaning speed, in one process on the same pages: a bare htmlparser2 parse (the floor), our
 * cleaner (parse + main text + metadata), and Readability.js on jsdom (the reference most
 * extractors are compared with). Pages: the 101 real pages of ../shared/eval-data/extraction
 * when that reference data is there, else the bundled sample site.
 *
 *   npm run bench
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

const SHARED_PAGES = resolve(PROJECT_ROOT, '..', 'shared', 'eval-data', 'extraction', 'html');
const ROUNDS = 5;

function pages(): { source: string; html: string[] } {
  if (existsSync(SHARED_PAGES)) {
    const files = readdirSync(SHARED_PAGES).filter((file) => file.endsWith('.html.gz'));
    return {
      source: `${files.length} pages of eval-data/extraction`,
      html: files.map((file) =>
        decodeBody(gunzipSync(readFileSync(join(SHARED_PAGES, file))), undefined),
      ),
    };
  }
  const files = readdirSync(SAMPLE_SITE_DIR, { recursive: true, encoding: 'utf8' }).filter((file) =>
    file.endsWith('.html'),
  );
  return {
    source: `${files.length} sample pages`,
    html: files.map((file) => readFileSync(join(SAMPLE_SITE_DIR, file), 'utf8')),
  };
}

/** Median time per page over ROUNDS passes, after one warm-up pass. */
function measure(html: readonly string[], work: (page: string) => unknown): number {
  for (const page of html) work(page);
  const rounds: number[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    const started = performance.now();
    for (const page of html) work(page);
    rounds.push((performance.now() - started) / html.length);
  }
  rounds.sort((a, b) => a - b);
  return rounds[Math.floor(rounds.length / 2)] ?? Number.NaN;
}

const { source, html } = pages();
const now = new Date();
const quiet = new VirtualConsole();
const parse = measure(html, (page) => parseDocument(page));
const clean = measure(html, (page) => cleanHtml(page, undefined, now));
const readability = measure(html, (page) => {
  const dom = new JSDOM(page, { virtualConsole: quiet });
  const article = new Readability(dom.window.document).parse();
  dom.window.close();
  return article;
});

console.log(`cleaning speed on ${source}, median of ${ROUNDS} passes`);
console.log(`bare htmlparser2 parse      ${parse.toFixed(2).padStart(7)} ms/page   1.0×`);
console.log(
  `story-digest cleanHtml      ${clean.toFixed(2).padStart(7)} ms/page   ${(clean / parse).toFixed(1)}× the bare parse`,
);
console.log(
  `Readability.js + jsdom      ${readability.toFixed(2).padStart(7)} ms/page   ${(readability / parse).toFixed(1)}× the bare parse (reference)`,
);
