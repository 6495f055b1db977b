import { describe, expect, it } from 'vitest';
import { splitSentences } from '../../lambdas/core/4-extract/sentences.js';

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
});
