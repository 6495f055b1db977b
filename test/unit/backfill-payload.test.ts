import { describe, expect, it } from 'vitest';
import { loadStoryFile } from '../../lambdas/adapters/story-file.js';
import { parseBackfillPayload } from '../../lambdas/core/1-discover/backfill-payload.js';
import { DEFAULT_STORY } from '../../local/project-paths.js';

const story = loadStoryFile(DEFAULT_STORY);
const [first, second] = story.sources.map((source) => source.id);
const parse = (payload: unknown) => parseBackfillPayload(payload, story);

describe('backfill payload', () => {
  it('accepts URLs or a re-processing request, with defaults', () => {
    expect(parse({ urls: ['https://example.com/a'] })).toEqual({
      urls: ['https://example.com/a'],
      maxSitemaps: 50,
      reprocess: false,
      dryRun: false,
      sourceId: 'backfill',
    });
    expect(parse({ reprocess: true, dryRun: true })).toMatchObject({
      reprocess: true,
      dryRun: true,
    });
  });

  it('accepts a sitemap, a feed and sources with a date range, and a selective re-processing', () => {
    expect(
      parse({
        sitemap: 'https://example.com/sitemap.xml',
        feed: 'http://example.com/feed.atom',
        sources: [first, second],
        from: '2019-07-01',
        to: '2019-07-31',
        maxSitemaps: 200,
        dryRun: true,
      }),
    ).toMatchObject({ sources: [first, second], from: '2019-07-01', maxSitemaps: 200 });
    expect(parse({ reprocess: true, sources: [first], to: '2019-07-31' })).toMatchObject({
      reprocess: true,
      sources: [first],
      to: '2019-07-31',
    });
    // One day is a range too.
    expect(parse({ sources: [first], from: '2019-07-12', to: '2019-07-12' }).to).toBe('2019-07-12');
  });

  it('names the bad field and what was expected, for each field', () => {
    const cases: [unknown, string | RegExp][] = [
      [
        { urls: 'https://example.com/a' },
        'backfill payload: urls: Invalid input: expected array, received string',
      ],
      [{ urls: [] }, /^backfill payload: urls: Too small: expected array to have >=1 items/],
      [{ urls: [3] }, /urls\[0\]: Invalid input: expected string, received number/],
      [
        { sitemap: 'ftp://example.com/sitemap.xml' },
        'backfill payload: sitemap: expected an http(s) URL such as https://example.com/sitemap.xml',
      ],
      [{ feed: 'not a url' }, /^backfill payload: feed: expected an http\(s\) URL/],
      [
        { sources: [first, 'nowhere'] },
        `backfill payload: sources[1]: expected one of the story's source ids (${story.sources.map((source) => source.id).join(', ')}), got "nowhere"`,
      ],
      [{ sources: [] }, /^backfill payload: sources: Too small/],
      [
        { sources: [first], from: '2019-07-32' },
        'backfill payload: from: expected a date YYYY-MM-DD',
      ],
      [{ sources: [first], to: '31.07.2019' }, 'backfill payload: to: expected a date YYYY-MM-DD'],
      [
        { sources: [first], from: '2019-07-31', to: '2019-07-01' },
        'backfill payload: to: expected a day on or after "from" (2019-07-31), got 2019-07-01',
      ],
      [
        { sitemap: 'https://example.com/s.xml', maxSitemaps: 0 },
        /^backfill payload: maxSitemaps: Too small: expected number to be >=1/,
      ],
      [{ reprocess: 'yes' }, /^backfill payload: reprocess: Invalid input: expected boolean/],
      [
        { reprocess: true, dryRun: 1 },
        /^backfill payload: dryRun: Invalid input: expected boolean/,
      ],
      [
        { urls: ['https://example.com/a'], sourceId: 'Back Fill' },
        'backfill payload: sourceId: expected lower-case letters, digits and dashes',
      ],
      [
        { reprocess: true, feed: 'https://example.com/feed.xml' },
        /^backfill payload: feed: not with "reprocess": true \(re-processing reads the archive, never the network/,
      ],
      [{ url: [] }, /Unrecognized key: "url"/],
      [
        {},
        'backfill payload: (root): give "urls" (a non-empty list), "sitemap", "feed", "sources", "reprocess": true or "dlq": "list" | "replay"',
      ],
      [
        { dlq: 'purge' },
        /^backfill payload: dlq: Invalid option: expected one of "list"\|"replay"/,
      ],
      [
        { dlq: 'replay', urls: ['https://example.com/a'], reprocess: true },
        /urls: not with "dlq" \(listing or replaying the DLQ takes no other field\); reprocess: not with "dlq"/,
      ],
      [{ from: '2019-07-01' }, /\(root\): give "urls"/],
      [null, /^backfill payload: \(root\): Invalid input: expected object, received null/],
    ];
    for (const [payload, message] of cases) {
      expect(() => parse(payload), JSON.stringify(payload)).toThrow(message);
    }
  });

  it('takes {"dlq": "list" | "replay"} alone', () => {
    expect(parse({ dlq: 'list' })).toMatchObject({ dlq: 'list', dryRun: false, reprocess: false });
    expect(parse({ dlq: 'replay' })).toMatchObject({ dlq: 'replay' });
  });

  it('reports every bad field at once', () => {
    expect(() => parse({ sitemap: 'x', from: 'July' })).toThrow(
      /sitemap: expected an http\(s\) URL.*; from: expected a date YYYY-MM-DD/,
    );
  });
});
