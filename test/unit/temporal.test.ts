import { describe, expect, it } from 'vitest';
import { resolveEventDate } from '../../lambdas/core/temporal.js';

/** A Thursday. */
const PUBLISHED = '2018-12-20T10:00:00Z';
const dateOf = (sentence: string) => {
  const resolved = resolveEventDate(sentence, PUBLISHED);
  return resolved ? [resolved.date, resolved.precision] : undefined;
};

describe('resolveEventDate', () => {
  it('reads days relative to the publication date, looking back', () => {
    expect(dateOf('Yesterday (19th December) the Kremlin said the deal stands.')).toEqual([
      '2018-12-19',
      'day',
    ]);
    expect(dateOf('On Tuesday the State Department approved the sale.')).toEqual([
      '2018-12-18',
      'day',
    ]);
    expect(dateOf('On Friday the first parts arrived.')).toEqual(['2018-12-14', 'day']);
    expect(dateOf('Peskov said on 19 December that talks went on.')).toEqual(['2018-12-19', 'day']);
  });

  it('looks ahead when the sentence does', () => {
    expect(dateOf('The delegation will travel to Moscow on Friday.')).toEqual([
      '2018-12-21',
      'day',
    ]);
    expect(dateOf('Deliveries are expected to start in 2019.')).toEqual(['2019', 'year']);
  });

  it('keeps the precision the text gives', () => {
    expect(dateOf('In December last year Turkey signed a loan agreement.')).toEqual([
      '2017-12',
      'month',
    ]);
    expect(dateOf('Ankara announced the purchase in summer 2017.')).toEqual([
      '2017-summer',
      'season',
    ]);
    expect(dateOf('Erdogan said in September 2017 that a deposit was paid.')).toEqual([
      '2017-09',
      'month',
    ]);
    expect(dateOf('Washington has objected to the purchase.')).toBeUndefined();
  });
});
