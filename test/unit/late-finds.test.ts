import { describe, expect, it } from 'vitest';
import { lateFinds } from '../../lambdas/core/6-digest/late-finds.js';
import { weekWindow } from '../../lambdas/core/model/iso-week.js';
import type { Development } from '../../lambdas/core/model/records.js';

const TIME_ZONE = 'Europe/Istanbul';
const WEEK = '2019-W29'; // 15–21 July 2019
const window = weekWindow(WEEK, TIME_ZONE);
/** The digest of 2019-W28 went out on Monday morning. */
const SENT = { '2019-W28': '2019-07-15T05:00:00.000Z' } as Record<string, string | undefined>;
const sentAt = async (week: string) => SENT[week];

function development(id: string, reportedAt: string, seenAt: string): Development {
  return {
    id,
    storyId: 's400-turkey',
    type: 'DELIVERY',
    date: reportedAt.slice(0, 10),
    precision: 'day',
    actors: ['Turkey', 'Russia'],
    people: [],
    systems: ['S-400'],
    summary: `Report ${id}.`,
    firstReportedAt: reportedAt,
    sources: [
      {
        articleId: id,
        url: `https://news.example.com/${id}`,
        outlet: 'Example News',
        title: id,
        publishedAt: reportedAt,
        seenAt,
      },
    ],
  };
}

describe('lateFinds: reported before the week, found during it', () => {
  it('takes what no digest has had, and leaves what one had or what is history', async () => {
    const history = [
      // Published last Sunday night, found after last week's digest went out.
      development('found-after-digest', '2019-07-14T20:00:00Z', '2019-07-15T09:00:00Z'),
      // Published last Sunday night and found before the digest: that digest had it.
      development('in-last-digest', '2019-07-14T20:00:00Z', '2019-07-15T03:00:00Z'),
      // A backfill found a report of 2017: history, not news.
      development('old-history', '2017-12-27T09:00:00Z', '2019-07-16T10:00:00Z'),
      // Reported and found last week.
      development('last-week', '2019-07-10T09:00:00Z', '2019-07-10T10:00:00Z'),
      // Reported this week: the week's own news, not a late find.
      development('this-week', '2019-07-16T09:00:00Z', '2019-07-16T10:00:00Z'),
      // Two weeks back, when no digest was sent: nobody has had it.
      development('unsent-week', '2019-07-04T09:00:00Z', '2019-07-17T10:00:00Z'),
    ];
    const since = '2019-06-28T00:00:00Z';
    const found = await lateFinds(history, window, since, sentAt, TIME_ZONE);
    expect(found.map((item) => item.id)).toEqual(['found-after-digest', 'unsent-week']);
  });
});
