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
/** Each sample cleans the page this long at least, so a page of a few milliseconds is not timer noise. */
const SAMPLE_MS = 100;

interface Case {
  readonly kind: PageKind;
  readonly size: number;
  readonly html: string;
  repeats: number;
  readonly samples: number[];
}

function sample(entry: Case): number {
  const started = performance.now();
  for (let repeat = 0; repeat < entry.repeats; repeat += 1) cleanHtml(entry.html, undefined, NOW);
  return (performance.now() - started) / entry.repeats;
}

const cases: Case[] = SIZES.flatMap((size) =>
  PAGE_KINDS.map((kind) => ({
    kind,
    size,
    html: pathologicalPage(kind, size),
    repeats: 1,
    samples: [],
  })),
);
// One cleaning of each page first: the cleaner compiled, and each page's repeats sized.
for (const entry of cases) entry.repeats = Math.max(1, Math.ceil(SAMPLE_MS / sample(entry)));
// Rounds interleave the pages, so a slow moment of the machine or the heap is shared by all.
for (let round = 0; round < ROUNDS; round += 1)
  for (const entry of cases) entry.samples.push(sample(entry));

// The fastest sample: other work on the machine only ever adds time, and the bounds are about
// the cleaner's own cost (on a loaded machine the median of 4 MB pages wanders by half).
const fastest = (values: readonly number[]) => Math.min(...values);
const times = new Map<PageKind, number[]>(
  PAGE_KINDS.map((kind) => [
    kind,
    cases.filter((entry) => entry.kind === kind).map((entry) => fastest(entry.samples)),
  ]),
);

let failed = false;
const plain = times.get('plain') ?? [];
console.log(
  `cleaning hostile pages, fastest of ${ROUNDS}: ms at 1 / 2 / 4 MB, ratio to the plain page of each size (≤ ${MAX_RATIO}×), growth 1 → 4 MB (≤ ${MAX_GROWTH}×)`,
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
