import { describe, expect, it } from 'vitest';
import {
  isoWeekOf,
  mondayOf,
  previousWeek,
  weeksBetween,
  weekWindow,
} from '../../lambdas/core/model/iso-week.js';

describe('ISO weeks', () => {
  it('numbers weeks as ISO 8601 does, across year ends', () => {
    expect(isoWeekOf('2019-07-12')).toBe('2019-W28');
    expect(isoWeekOf('2019-07-15')).toBe('2019-W29');
    expect(isoWeekOf('2021-01-03')).toBe('2020-W53');
    expect(isoWeekOf('2019-12-30')).toBe('2020-W01');
    expect(mondayOf('2020-W53')).toBe('2020-12-28');
  });

  it('rejects weeks that do not exist', () => {
    expect(() => mondayOf('2019-W53')).toThrow(/does not exist/);
    expect(() => mondayOf('2019-28')).toThrow(/not an ISO week/);
  });

  it('opens and closes a week at midnight in the story time zone', () => {
    expect(weekWindow('2019-W29', 'Europe/Istanbul')).toEqual({
      week: '2019-W29',
      from: '2019-07-14T21:00:00.000Z',
      to: '2019-07-21T21:00:00.000Z',
    });
    // New York changes to daylight time inside 2019-W11.
    expect(weekWindow('2019-W10', 'America/New_York').to).toBe('2019-03-11T04:00:00.000Z');
    expect(weekWindow('2019-W10', 'America/New_York').from).toBe('2019-03-04T05:00:00.000Z');
  });

  it('reports on the last complete week', () => {
    expect(previousWeek(new Date('2019-07-22T05:00:00Z'), 'Europe/Istanbul')).toBe('2019-W29');
    expect(weeksBetween('2019-07-01', '2019-07-15')).toEqual(['2019-W27', '2019-W28', '2019-W29']);
  });
});
