/**
 * Near-duplicate articles: syndicated copies, light rewrites and one wire story under several
 * URLs. Each text gets a MinHash signature of its word shingles; the share of equal positions
 * in two signatures estimates the Jaccard resemblance of their shingle sets.
 */

import type { Article, StoryEvent } from '../model/records.js';

/** Positions in a signature: the estimate's standard error is about 1/√128 ≈ 0.04. */
export const SIGNATURE_SIZE = 128;
/** Words per shingle: short enough to survive light rewording, long enough to carry order. */
const SHINGLE_WORDS = 3;
/**
 * A copy (a syndicated story under another headline, with a line added) shares most of its
 * shingles; a light rewrite shares some, and tells the same main happening. Another outlet's
 * own report of that happening shares few: in the story corpus at most 0.08, against 0.23 for
 * its rewrite and 0.77–0.89 for its copies (quotations aside: independent reports share them).
 */
export const COPY_RESEMBLANCE = 0.5;
export const REWRITE_RESEMBLANCE = 0.2;

export interface Fingerprint {
  readonly articleId: string;
  readonly publishedAt: string;
  readonly signature: readonly number[];
  /** "TYPE|date" of the article's main event, when it has one. */
  readonly mainEvent: string | undefined;
}

/** When an article's fingerprint places it: its publication, else when it was first seen. */
export function fingerprintTime(article: Pick<Article, 'publishedAt' | 'firstSeenAt'>): string {
  return article.publishedAt ?? article.firstSeenAt;
}

/** An article's fingerprint: its text's signature and its main event. */
export function fingerprintOf(
  article: Pick<Article, 'id' | 'title' | 'text' | 'publishedAt' | 'firstSeenAt'>,
  events: readonly Pick<StoryEvent, 'role' | 'type' | 'date'>[],
): Fingerprint {
  const main = events.find((event) => event.role === 'main');
  return {
    articleId: article.id,
    publishedAt: fingerprintTime(article),
    signature: signature(`${article.title}\n${article.text}`),
    mainEvent: main ? `${main.type}|${main.date}` : undefined,
  };
}

export interface Duplicate {
  readonly articleId: string;
  /** A copy carries the original's text; a rewrite rewords it. */
  readonly kind: 'copy' | 'rewrite';
  readonly resemblance: number;
}

/** For each article that copies or lightly rewrites another of them, that original. */
export function copiesAmong(fingerprints: readonly Fingerprint[]): Map<string, Duplicate> {
  const copies = new Map<string, Duplicate>();
  for (const fingerprint of fingerprints) {
    const original = duplicateOf(fingerprint, fingerprints);
    if (original) copies.set(fingerprint.articleId, original);
  }
  return copies;
}

/**
 * The earlier article this one copies or lightly rewrites, if any: the most resembling of
 * `earlier` above the copy threshold, or above the rewrite threshold with the same main event.
 */
export function duplicateOf(
  article: Fingerprint,
  earlier: readonly Fingerprint[],
): Duplicate | undefined {
  let best: Duplicate | undefined;
  for (const other of earlier) {
    // The original is the earlier one; of two published at once, the lower id (any order of
    // processing then agrees on it).
    const later =
      other.publishedAt > article.publishedAt ||
      (other.publishedAt === article.publishedAt && other.articleId >= article.articleId);
    if (later) continue;
    const score = resemblance(article.signature, other.signature);
    const same =
      score >= COPY_RESEMBLANCE ||
      (score >= REWRITE_RESEMBLANCE &&
        article.mainEvent !== undefined &&
        article.mainEvent === other.mainEvent);
    if (same && (!best || score > best.resemblance)) {
      const kind = score >= COPY_RESEMBLANCE ? 'copy' : 'rewrite';
      best = { articleId: other.articleId, kind, resemblance: score };
    }
  }
  return best;
}

/**
 * Letters that look like Latin ones in Cyrillic and Greek: "Turkеy" with a Cyrillic "е" is
 * "Turkey" to a reader, so it is to the hash.
 */
const LOOKALIKES: Readonly<Record<string, string>> = {
  а: 'a',
  в: 'b',
  е: 'e',
  ё: 'e',
  к: 'k',
  м: 'm',
  н: 'h',
  о: 'o',
  р: 'p',
  с: 'c',
  т: 't',
  у: 'y',
  х: 'x',
  і: 'i',
  ј: 'j',
  ѕ: 's',
  һ: 'h',
  ԁ: 'd',
  ԛ: 'q',
  ԝ: 'w',
  α: 'a',
  β: 'b',
  ε: 'e',
  ι: 'i',
  κ: 'k',
  ν: 'v',
  ο: 'o',
  ρ: 'p',
  τ: 't',
  υ: 'u',
  χ: 'x',
};
const LOOKALIKE = new RegExp(`[${Object.keys(LOOKALIKES).join('')}]`, 'g');

/** The text as hashed: compatibility forms unified, lower case, look-alike letters folded. */
export function normaliseForHash(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(LOOKALIKE, (letter) => LOOKALIKES[letter] ?? letter);
}

/** Quotations: independent reports quote the same words, so they tell nothing of copying. */
const QUOTATION = /["“”][^"“”]{0,600}["“”]/g;

export function signature(text: string): number[] {
  const words = normaliseForHash(text.replace(QUOTATION, ' ')).match(/[\p{L}\p{N}]+/gu) ?? [];
  const mins = new Uint32Array(SIGNATURE_SIZE).fill(0xffffffff);
  const count = Math.max(1, words.length - SHINGLE_WORDS + 1);
  for (let start = 0; start < count && words.length > 0; start += 1) {
    const shingle = hash(words.slice(start, start + SHINGLE_WORDS).join(' '));
    for (let position = 0; position < SIGNATURE_SIZE; position += 1) {
      const value = mix(shingle ^ (SEEDS[position] ?? 0));
      if (value < (mins[position] ?? 0)) mins[position] = value;
    }
  }
  return [...mins];
}

/** Estimated Jaccard resemblance of the two texts' shingles, 0..1. */
export function resemblance(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length || a.length === 0) return 0;
  let equal = 0;
  for (let position = 0; position < a.length; position += 1)
    if (a[position] === b[position]) equal += 1;
  return equal / a.length;
}

/** FNV-1a over UTF-16 code units: stable across runs and machines. */
function hash(text: string): number {
  let value = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    value ^= text.charCodeAt(index);
    value = Math.imul(value, 0x01000193);
  }
  return value >>> 0;
}

/** MurmurHash3's finaliser: each seed gives an independent-looking permutation of hashes. */
function mix(input: number): number {
  let value = input >>> 0;
  value ^= value >>> 16;
  value = Math.imul(value, 0x85ebca6b);
  value ^= value >>> 13;
  value = Math.imul(value, 0xc2b2ae35);
  value ^= value >>> 16;
  return value >>> 0;
}

const SEEDS = Uint32Array.from({ length: SIGNATURE_SIZE }, (_, index) =>
  mix(0x9e3779b9 * (index + 1)),
);
