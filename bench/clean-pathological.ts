/**
 * The cleaner's cost on hostile pages (test/fixtures/pathological-pages.ts) at 1, 2 and 4 MB,
 * each timed against a plain article page of the same size in the same run. Bounds: every
 * page within 10× the plain page of its size, and growth from 1 to 4 MB at most 4.5× (linear
 * is 4×). Exits non-zero on a failure.
 *
 *   npm run bench
 */
import { cleanHtml } from '../lambdas/core/3-clean/article.js';
import { PAGE_KINDS, pathologicalPage } from '../test/fixtures/pathological-pages.js';
import { checkBoundedCost } from './bounded-cost.js';

const MB = 1_000_000;
const NOW = new Date('2026-01-01T00:00:00Z');

checkBoundedCost({
  title: 'cleaning hostile pages',
  kinds: PAGE_KINDS,
  sizes: [1 * MB, 2 * MB, 4 * MB],
  sizeLabel: (size) => `${size / MB} MB`,
  input: pathologicalPage,
  work: (html) => cleanHtml(html, undefined, NOW),
  maxRatio: 10,
  maxGrowth: 4.5,
});
