/**
 * The cleaner's cost on hostile pages (test/fixtures/pathological-pages.ts) at 1, 2 and 4 MB,
 * each timed against a plain article page of the same size in the same run. Bounds: every
 * page within 10× the plain page of its size, and growth from 1 to 4 MB at most 4.5× (linear
 * is 4×). Prints the ratios and pass or fail; exits non-zero on a failure.
 *
 *   npm run bench
 */
import { cleanHtml } from '../lambdas/core/clean/article.js';
import {
  PAGE_KINDS,
  type PageKind,
  pathologicalPage,
} from '../test/fixtures/pathological-pages.js';

const MB = 1_000_000;
const SIZES = [1 * MB, 2 * MB, 4 * MB];
const MAX_RATIO = 10;
const MAX_GROWTH = 4.5;
const ROUNDS = 5;
const NOW = new Date('2026-01-01T00:00:00Z');
/** Exposed when run with --expose-gc: collecting before each timing keeps one page's garbage off the next. */
const collect = (globalThis as { gc?: () => void }).gc;

/** Median milliseconds of ROUNDS cleanings. */
function time(html: string): number {
  const rounds: number[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    collect?.();
    const started = performance.now();
    cleanHtml(html, undefined, NOW);
    rounds.push(performance.now() - started);
  }
  rounds.sort((a, b) => a - b);
  return rounds[Math.floor(rounds.length / 2)] ?? Number.NaN;
}

// Every kind once before timing anything, so that no page pays for compiling the cleaner.
for (const kind of PAGE_KINDS) cleanHtml(pathologicalPage(kind, MB / 4), undefined, NOW);

const times = new Map<PageKind, number[]>();
for (const size of SIZES) {
  for (const kind of PAGE_KINDS) {
    const html = pathologicalPage(kind, size);
    const list = times.get(kind) ?? [];
    list.push(time(html));
    times.set(kind, list);
  }
}

let failed = false;
const plain = times.get('plain') ?? [];
console.log(
  `cleaning hostile pages, median of ${ROUNDS}: ms at 1 / 2 / 4 MB, ratio to the plain page of each size (≤ ${MAX_RATIO}×), growth 1 → 4 MB (≤ ${MAX_GROWTH}×)`,
);
for (const kind of PAGE_KINDS) {
  const ms = times.get(kind) ?? [];
  const ratios = ms.map((value, index) => value / (plain[index] ?? Number.NaN));
  const growth = (ms[2] ?? Number.NaN) / (ms[0] ?? Number.NaN);
  const pass = ratios.every((ratio) => ratio <= MAX_RATIO) && growth <= MAX_GROWTH;
  if (!pass) failed = true;
  console.log(
    `${kind.padEnd(16)} ${ms.map((value) => value.toFixed(0).padStart(6)).join(' ')} ms   ${ratios.map((ratio) => `${ratio.toFixed(2)}×`.padStart(7)).join(' ')}   growth ${growth.toFixed(2)}×   ${pass ? 'pass' : 'FAIL'}`,
  );
}
console.log(failed ? 'pathological pages: FAIL' : 'pathological pages: pass');
if (failed) process.exitCode = 1;
