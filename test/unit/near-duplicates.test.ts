import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  duplicateOf,
  type Fingerprint,
  normaliseForHash,
  resemblance,
  SIGNATURE_SIZE,
  signature,
} from '../../lambdas/core/5-cluster/near-duplicates.js';

const corpus = (file: string) => readFileSync(`eval/story-corpus/articles/${file}`, 'utf8');
const ORIGINAL = corpus('018_first-s400-parts-arrive.txt');
const COPY = corpus('019_s400-lands-at-murted.txt');
const OWN_REPORT = corpus('020_murted-delivery-begins.txt');

/** Originals are published at 10:00, later articles at 12:00. */
const fingerprint = (articleId: string, text: string, mainEvent?: string): Fingerprint => ({
  articleId,
  publishedAt: articleId === 'original' ? '2019-07-12T10:00:00Z' : '2019-07-12T12:00:00Z',
  signature: signature(text),
  mainEvent,
});

describe('near-duplicate articles', () => {
  it('folds look-alike Cyrillic and Greek letters and compatibility forms before hashing', () => {
    expect(normaliseForHash('Turkеy buys the Ѕ-400 from Russiа')).toBe(
      'turkey buys the s-400 from russia',
    );
    expect(normaliseForHash('Ｓ－４００')).toBe('s-400');
    expect(
      resemblance(
        signature('Turkеy and Russiа signed the S-400 deal in Ankara on Friday'),
        signature('Turkey and Russia signed the S-400 deal in Ankara on Friday'),
      ),
    ).toBe(1);
  });

  it("finds a syndicated copy, not another outlet's own report of the same happening", () => {
    const original = fingerprint('original', ORIGINAL);
    expect(duplicateOf(fingerprint('copy', COPY), [original])).toMatchObject({
      articleId: 'original',
    });
    expect(duplicateOf(fingerprint('own', OWN_REPORT), [original])).toBeUndefined();
  });

  it('takes a light rewrite for a duplicate only when it tells the same main happening', () => {
    const original = corpus('015_shanahan-letter-deadline.txt');
    const rewrite = corpus('016_akar-given-july-deadline.txt');
    const main = 'WARNING_THREAT|2019-06-07';
    expect(
      duplicateOf(fingerprint('rewrite', rewrite, main), [fingerprint('original', original, main)]),
    ).toBeDefined();
    expect(
      duplicateOf(fingerprint('rewrite', rewrite, main), [
        fingerprint('original', original, 'STATEMENT|2019-06-07'),
      ]),
    ).toBeUndefined();
  });

  it('takes the earlier article for the original, and of two at once the lower id', () => {
    const copy = fingerprint('copy', COPY);
    expect(duplicateOf(fingerprint('original', ORIGINAL), [copy])).toBeUndefined();
    const [a, b] = [
      { ...fingerprint('a', ORIGINAL), publishedAt: '2019-07-12T12:00:00Z' },
      { ...fingerprint('b', COPY), publishedAt: '2019-07-12T12:00:00Z' },
    ];
    expect(duplicateOf(b, [a])?.articleId).toBe('a');
    expect(duplicateOf(a, [b])).toBeUndefined();
  });

  it('gives the same signature on every run', () => {
    expect(signature(ORIGINAL)).toEqual(signature(ORIGINAL));
    expect(signature('')).toHaveLength(SIGNATURE_SIZE);
  });
});
