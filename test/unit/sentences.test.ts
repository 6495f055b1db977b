import { describe, expect, it } from 'vitest';
import { loadStoryFile } from '../../lambdas/adapters/story-file.js';
import { EventExtractor } from '../../lambdas/core/4-extract/events.js';
import { MAX_SENTENCE_CHARS, splitSentences } from '../../lambdas/core/4-extract/sentences.js';
import { DEFAULT_STORY } from '../../local/project-paths.js';
import { LEAD_SENTENCE, pathologicalText, TEXT_KINDS } from '../fixtures/pathological-texts.js';

describe('splitSentences', () => {
  it('does not end a sentence at an abbreviation, an initial or a decimal point', () => {
    expect(
      splitSentences(
        'Gen. Ivanov met U.S. officials on Monday. Rostec head Sergei V. Chemezov said the $2.5 billion deal stood. Dr. Smith agreed.',
      ),
    ).toEqual([
      'Gen. Ivanov met U.S. officials on Monday.',
      'Rostec head Sergei V. Chemezov said the $2.5 billion deal stood.',
      'Dr. Smith agreed.',
    ]);
  });

  it('ends a sentence after a closing quote and keeps a quote with its attribution', () => {
    expect(
      splitSentences('"We will not step back," Erdogan said. "Is it over?" asked Peskov. It is.'),
    ).toEqual(['"We will not step back," Erdogan said.', '"Is it over?" asked Peskov.', 'It is.']);
  });

  it('leaves out the dateline a paragraph opens with', () => {
    expect(
      splitSentences(
        [
          'MOSCOW (Reuters) – Turkey will receive the S-400 in July.',
          'WASHINGTON, July 12 (AP) — The Pentagon said nothing.',
          'ANKARA, Turkey — Parts landed at Murted.',
          'NEW YORK – The talks resumed.',
          'MOSCOW, the Russian Federation (BulgarianMilitary.com) – Ankara paid.',
        ].join('\n\n'),
      ),
    ).toEqual([
      'Turkey will receive the S-400 in July.',
      'The Pentagon said nothing.',
      'Parts landed at Murted.',
      'The talks resumed.',
      'Ankara paid.',
    ]);
  });

  it('keeps a capitalised name that opens a sentence', () => {
    expect(splitSentences('NATO — which Turkey joined in 1952 — objected.')).toEqual([
      'NATO — which Turkey joined in 1952 — objected.',
    ]);
  });

  it('always ends a sentence at a paragraph break', () => {
    expect(splitSentences('Turkey paid\n\nRussia delivered')).toEqual([
      'Turkey paid',
      'Russia delivered',
    ]);
  });

  it('reads a run with no sentence end in pieces at spaces, losing no word', () => {
    const run = Array.from({ length: 3_000 }, (_, index) => `word${index}`).join(' ');
    const pieces = splitSentences(run);
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.every((piece) => piece.length <= MAX_SENTENCE_CHARS)).toBe(true);
    expect(pieces.join(' ')).toBe(run);
  });

  it('cuts a run without spaces at the limit', () => {
    expect(
      splitSentences('7'.repeat(MAX_SENTENCE_CHARS * 2 + 5)).map((piece) => piece.length),
    ).toEqual([MAX_SENTENCE_CHARS, MAX_SENTENCE_CHARS, 5]);
  });
});

describe('reading events from hostile text', () => {
  const extractor = new EventExtractor(loadStoryFile(DEFAULT_STORY));

  // Their cost is bench/extract-pathological.ts's; here, what is read from them.
  it.each(TEXT_KINDS)('%s (200,000 characters): still reads the lead event', (kind) => {
    const events = extractor.extract({
      id: 'hostile',
      title: 'Turkey receives S-400 parts',
      text: pathologicalText(kind, 200_000),
      publishedAt: '2019-07-13T00:00:00Z',
      firstSeenAt: '2019-07-13T00:00:00Z',
    });
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'DELIVERY', date: '2019-07-12', evidence: LEAD_SENTENCE }),
    );
  });
});
