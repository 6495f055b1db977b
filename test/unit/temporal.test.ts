import { describe, expect, it } from 'vitest';
import { resolveEventDate } from '../../lambdas/core/4-extract/temporal.js';
import { spansOverlap } from '../../lambdas/core/model/date-span.js';

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
    expect(dateOf('On Tuesday (18th December) Ankara confirmed the payment.')).toEqual([
      '2018-12-18',
      'day',
    ]);
    expect(
      resolveEventDate('On Tuesday, April 3, Putin and Erdogan met in Ankara.', '2018-04-05'),
    ).toMatchObject({ date: '2018-04-03', precision: 'day' });
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
    expect(dateOf('Russia said earlier this month that the talks had ended.')).toEqual([
      '2018-12',
      'month',
    ]);
    expect(dateOf('Deliveries will be completed by the end of 2019.')).toEqual(['2019', 'year']);
    expect(dateOf('In mid-2019 the first parts arrived.')).toEqual(['2019', 'year']);
    expect(dateOf('Washington has objected to the purchase.')).toBeUndefined();
  });

  it('places a relative day no finer than a publication known to its month or year', () => {
    const inYear = (sentence: string) => resolveEventDate(sentence, '2021');
    expect(inYear('Shugayev told TASS yesterday the contract stands.')).toMatchObject({
      date: '2021',
      precision: 'year',
    });
    expect(inYear('Turkey bought the system last year.')).toMatchObject({ date: '2020' });
    expect(inYear('The talks ended in March 2021.')).toMatchObject({ date: '2021-03' });
    expect(resolveEventDate('Kalin spoke on Tuesday.', '2020-05')).toMatchObject({
      date: '2020-05',
      precision: 'month',
    });
  });

  it('reads "last week" as that week, not as a day seven days back', () => {
    expect(dateOf('Erdogan said last week that the deal was done.')).toEqual(['2018-W50', 'week']);
    expect(dateOf('Earlier this week Moscow confirmed the schedule.')).toEqual([
      '2018-W51',
      'week',
    ]);
    expect(dateOf('Earlier this week, on December 17 and 18, F-16s flew over Ankara.')).toEqual([
      '2018-12-17',
      'day',
    ]);
  });
});

describe('spansOverlap', () => {
  it('agrees when two dates of any precision can mean the same day', () => {
    expect(spansOverlap('2018-W50', '2018-12-16')).toBe(true);
    expect(spansOverlap('2018-W50', '2018-12-17')).toBe(false);
    expect(spansOverlap('2017-winter', '2018-02')).toBe(true);
    expect(spansOverlap('2017-summer', '2017-09-01')).toBe(false);
    expect(spansOverlap('2019', '2019-07-12')).toBe(true);
  });
});
