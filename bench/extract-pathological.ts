/**
 * Event extraction's cost on hostile article texts (test/fixtures/pathological-texts.ts) of 50,
 * 100 and 200 thousand characters (200,000 is as much as it reads of any text), each timed
 * against a plain article text of the same size in the same run. Bounds: every text within 10×
 * the plain text of its size, and growth from 50,000 to 200,000 at most 4.5× (linear is 4×).
 * Exits non-zero on a failure.
 *
 *   npm run bench
 */
import { loadStoryFile } from '../lambdas/adapters/story-file.js';
import { EventExtractor } from '../lambdas/core/4-extract/events.js';
import { DEFAULT_STORY } from '../local/project-paths.js';
import { pathologicalText, TEXT_KINDS } from '../test/fixtures/pathological-texts.js';
import { checkBoundedCost } from './bounded-cost.js';

const K = 1_000;
const extractor = new EventExtractor(loadStoryFile(DEFAULT_STORY));

checkBoundedCost({
  title: 'extracting events from hostile texts',
  kinds: TEXT_KINDS,
  sizes: [50 * K, 100 * K, 200 * K],
  sizeLabel: (size) => `${size / K}k`,
  input: pathologicalText,
  work: (text) =>
    extractor.extract({
      id: 'hostile',
      title: 'Turkey receives S-400 parts',
      text,
      publishedAt: '2019-07-13T00:00:00Z',
      firstSeenAt: '2019-07-13T00:00:00Z',
    }),
  maxRatio: 10,
  maxGrowth: 4.5,
});
