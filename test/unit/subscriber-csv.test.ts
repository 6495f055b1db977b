import { describe, expect, it } from 'vitest';
import { subscribersCsv } from '../../lambdas/core/subscribers/subscriber-csv.js';

describe('subscribers as CSV', () => {
  it('writes a header and one line per subscriber, quoting what needs it', () => {
    expect(
      subscribersCsv([
        {
          storyId: 's400-turkey',
          address: 'ana@example.org',
          status: 'active',
          createdAt: '2019-07-01T10:00:00.000Z',
          confirmedAt: '2019-07-01T10:05:00.000Z',
        },
        {
          storyId: 's400-turkey',
          address: 'bo@example.org',
          status: 'suppressed',
          createdAt: '2019-07-02T10:00:00.000Z',
          suppressedAt: '2019-07-03T10:00:00.000Z',
          suppressionReason: 'complaint: "abuse", by hand',
        },
        {
          storyId: 's400-turkey',
          address: '=cmd@example.org',
          status: 'pending',
          createdAt: '2019-07-04T10:00:00.000Z',
        },
      ]),
    ).toBe(
      [
        'address,status,createdAt,confirmedAt,unsubscribedAt,suppressedAt,suppressionReason',
        'ana@example.org,active,2019-07-01T10:00:00.000Z,2019-07-01T10:05:00.000Z,,,',
        'bo@example.org,suppressed,2019-07-02T10:00:00.000Z,,,2019-07-03T10:00:00.000Z,"complaint: ""abuse"", by hand"',
        "'=cmd@example.org,pending,2019-07-04T10:00:00.000Z,,,,",
        '',
      ].join('\r\n'),
    );
  });
});
