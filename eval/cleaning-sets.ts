/**
 * The cleaner on the reference page sets of ../shared, each scored by the scorer shipped beside
 * it and reported in two halves (eval/split.ts): main text (article-extraction benchmark), dates
 * (htmldate's set) and both (the web-content-extraction benchmark's development split), with
 * the pages left empty although their reference has text, the worst failure.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { decodeBody } from '../lambdas/core/2-fetch/charset.js';
import { cleanHtml } from '../lambdas/core/3-clean/article.js';
import { HALVES, type Half, halfOf, inHalf } from './split.js';

/** One page of a set: its id (what the split hashes), where it was, and what it should give. */
interface ReferencePage {
  readonly id: string;
  readonly path: string;
  readonly url: string | undefined;
  /** The reference main text; undefined where the set gives none (htmldate's). */
  readonly text: string | undefined;
}

interface Prediction {
  readonly text: string;
  readonly publishedAt: string | undefined;
}

export interface HalfScore {
  readonly set: string;
  readonly half: Half;
  readonly pages: number;
  readonly f1: number | undefined;
  readonly date: number | undefined;
  /** Pages with no text where the reference has some (every empty page where there is none). */
  readonly empty: number;
  readonly emptyIds: readonly string[];
  readonly detail: string;
}

interface ReferenceSet {
  readonly name: string;
  readonly dir: string;
  pages(): ReferencePage[];
  /** Scores one half's predictions with the set's own scorer; `worst` lists failures to study. */
  score(
    half: Half,
    predictions: ReadonlyMap<string, Prediction>,
    worst: number,
  ): { f1?: number; date?: number; detail: string; worst: string };
}

export interface CleaningEvalOptions {
  readonly shared: string;
  readonly out: string;
  readonly now: Date;
  /** Only these sets (by name); all when empty. */
  readonly sets: readonly string[];
  /** List this many of the worst pages of the tuned half of each set (never the held-out half). */
  readonly worst: number;
}

export function decodePage(path: string): string {
  return decodeBody(gunzipSync(readFileSync(path)), undefined);
}

function runScorer(shared: string, name: string, args: readonly string[]): string {
  return execFileSync(process.execPath, [join(shared, 'eval', name), ...args], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
}

function numberAfter(output: string, label: string): number | undefined {
  const match = new RegExp(`${label}\\s+([0-9.]+)`).exec(output);
  return match?.[1] ? Number(match[1]) : undefined;
}

function referenceSets(shared: string, out: string): ReferenceSet[] {
  const data = (name: string) => join(shared, 'eval-data', name);
  const write = (file: string, value: unknown) => {
    const path = join(out, file);
    writeFileSync(path, JSON.stringify(value));
    return path;
  };

  const extractionDir = data('extraction');
  const extractionGold = JSON.parse(
    readFileSync(join(extractionDir, 'ground-truth.json'), 'utf8'),
  ) as Record<string, { articleBody: string; url?: string }>;
  const extraction: ReferenceSet = {
    name: 'extraction',
    dir: extractionDir,
    pages: () =>
      readdirSync(join(extractionDir, 'html'))
        .filter((file) => file.endsWith('.html.gz'))
        .map((file) => {
          const id = file.replace('.html.gz', '');
          return {
            id,
            path: join(extractionDir, 'html', file),
            // The benchmark scores extraction from the markup alone, as published.
            url: undefined,
            text: extractionGold[id]?.articleBody ?? '',
          };
        }),
    score(half, predictions, worst) {
      const gold = write(`extraction.${half}.gold.json`, inHalf(extractionGold, half));
      const texts = Object.fromEntries([...predictions].map(([id, { text }]) => [id, text]));
      const predicted = write(`extraction.${half}.json`, texts);
      const perDoc = join(out, `extraction.${half}.per-doc.json`);
      const output = runScorer(shared, 'score-extraction.mjs', [
        predicted,
        '--gt',
        gold,
        '--json',
        '--per-doc',
        perDoc,
      ]);
      const metrics = (
        Object.values(JSON.parse(output)) as {
          f1: number;
          precision: number;
          recall: number;
          accuracy: number;
        }[]
      )[0];
      let worstLines = '';
      if (worst > 0) {
        const docs = JSON.parse(readFileSync(perDoc, 'utf8')) as {
          id: string;
          url: string;
          tp: number;
          precision: number | null;
          recall: number | null;
        }[];
        worstLines = docs
          .sort((a, b) => a.tp - b.tp)
          .slice(0, worst)
          .map(
            (doc) =>
              `  ${doc.id}  P ${doc.precision?.toFixed(3)}  R ${doc.recall?.toFixed(3)}  ${doc.url ?? ''}`,
          )
          .join('\n');
      }
      return {
        ...(metrics ? { f1: metrics.f1 } : {}),
        detail: metrics
          ? `F1 ${metrics.f1.toFixed(3)}  P ${metrics.precision.toFixed(3)}  R ${metrics.recall.toFixed(3)}  exact ${metrics.accuracy.toFixed(3)}`
          : output.trim(),
        worst: worstLines,
      };
    },
  };

  const pubdateDir = data('pubdate');
  const pubdateGold = JSON.parse(readFileSync(join(pubdateDir, 'gold.json'), 'utf8')) as Record<
    string,
    { file: string; date: string | null }
  >;
  const pubdate: ReferenceSet = {
    name: 'pubdate',
    dir: pubdateDir,
    pages: () =>
      Object.entries(pubdateGold).map(([url, { file }]) => ({
        id: file,
        path: join(pubdateDir, 'html', `${file}.gz`),
        url,
        text: undefined,
      })),
    score(half, predictions, worst) {
      const gold = write(
        `pubdate.${half}.gold.json`,
        inHalf(pubdateGold, half, (_url, { file }) => file),
      );
      const dates = Object.fromEntries(
        [...predictions].map(([id, { publishedAt }]) => [id, publishedAt?.slice(0, 10) ?? null]),
      );
      const predicted = write(`pubdate.${half}.json`, dates);
      const output = runScorer(shared, 'score-pubdate.mjs', [
        predicted,
        '--gold',
        gold,
        ...(worst > 0 ? ['--misses'] : []),
      ]);
      const lines = output.trim().split('\n');
      const summary = (lines.at(-1) ?? '').trim();
      const date = numberAfter(summary, 'accuracy');
      return {
        ...(date !== undefined ? { date } : {}),
        detail: summary,
        worst: lines
          .slice(0, -2)
          .slice(0, worst)
          .map((line) => `  ${line}`)
          .join('\n'),
      };
    },
  };

  const wcxbDir = data('wcxb-dev');
  const wcxbGold = JSON.parse(readFileSync(join(wcxbDir, 'ground-truth.json'), 'utf8')) as Record<
    string,
    { url: string; articleBody: string; published?: string }
  >;
  const wcxb: ReferenceSet = {
    name: 'wcxb-dev',
    dir: wcxbDir,
    pages: () =>
      Object.entries(wcxbGold).map(([id, { url, articleBody }]) => ({
        id,
        path: join(wcxbDir, 'html', `${id}.html.gz`),
        url,
        text: articleBody,
      })),
    score(half, predictions, worst) {
      const gold = write(`wcxb-dev.${half}.gold.json`, inHalf(wcxbGold, half));
      const predicted = write(`wcxb-dev.${half}.json`, Object.fromEntries(predictions));
      const output = runScorer(shared, 'score-wcxb.mjs', [
        predicted,
        gold,
        ...(worst > 0 ? ['--worst', String(worst)] : []),
      ]);
      const [summary = '', ...rest] = output.trim().split('\n');
      const f1 = numberAfter(summary, 'F1');
      const date = numberAfter(summary, 'date-accuracy');
      return {
        ...(f1 !== undefined ? { f1 } : {}),
        ...(date !== undefined ? { date } : {}),
        detail: summary.replace(/^pages \d+\s+/, ''),
        worst: rest.join('\n'),
      };
    },
  };
  return [extraction, pubdate, wcxb];
}

/** Cleans every page of the chosen sets and scores each half; prints a table and returns it. */
export function evaluateCleaning(options: CleaningEvalOptions): HalfScore[] {
  const scores: HalfScore[] = [];
  const sets = referenceSets(options.shared, options.out).filter(
    (set) => options.sets.length === 0 || options.sets.includes(set.name),
  );
  for (const set of sets) {
    const pages = set.pages();
    const predictions = new Map<string, Prediction>();
    const started = performance.now();
    for (const page of pages) {
      const cleaned = cleanHtml(decodePage(page.path), page.url, options.now);
      predictions.set(page.id, { text: cleaned.text, publishedAt: cleaned.publishedAt });
    }
    const elapsed = performance.now() - started;
    console.log(`\n${set.name}: ${pages.length} pages cleaned in ${(elapsed / 1000).toFixed(1)} s`);
    for (const half of HALVES) {
      const own = pages.filter((page) => halfOf(page.id) === half);
      const halfPredictions = new Map(own.map((page) => [page.id, predictions.get(page.id)]));
      const emptyIds = own
        .filter(
          (page) =>
            !predictions.get(page.id)?.text.trim() && (page.text === undefined || page.text.trim()),
        )
        .map((page) => page.id);
      const result = set.score(
        half,
        halfPredictions as Map<string, Prediction>,
        half === 'tuned' ? options.worst : 0,
      );
      console.log(`  ${half.padEnd(8)} ${String(own.length).padStart(3)} pages  ${result.detail}`);
      // Held-out pages are counted, never named: naming them invites studying them.
      if (half === 'tuned' && emptyIds.length) console.log(`    empty: ${emptyIds.join(' ')}`);
      if (result.worst) console.log(result.worst);
      scores.push({
        set: set.name,
        half,
        pages: own.length,
        f1: result.f1,
        date: result.date,
        empty: emptyIds.length,
        emptyIds: half === 'tuned' ? emptyIds : [],
        detail: result.detail,
      });
    }
  }
  printTable(scores);
  return scores;
}

function printTable(scores: readonly HalfScore[]): void {
  const cell = (value: number | undefined) => (value === undefined ? '  -  ' : value.toFixed(3));
  console.log('\ncleaning, by half (sha1(id) first byte even: tuned, odd: held-out)');
  console.log('set         half      pages  text F1  date acc  empty');
  for (const score of scores) {
    console.log(
      `${score.set.padEnd(11)} ${score.half.padEnd(9)} ${String(score.pages).padStart(5)}  ${cell(score.f1).padStart(7)}  ${cell(score.date).padStart(8)}  ${String(score.empty).padStart(5)}`,
    );
  }
}
