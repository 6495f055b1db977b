import { describe, expect, it } from 'vitest';
import { loadStoryFile } from '../../lambdas/adapters/story-file.js';
import { coverageOf } from '../../lambdas/core/6-digest/coverage.js';
import { buildDigest } from '../../lambdas/core/6-digest/digest.js';
import { MAX_HTML_BYTES } from '../../lambdas/core/6-digest/render-digest.js';
import { weekWindow } from '../../lambdas/core/model/iso-week.js';
import type { Development, EventType } from '../../lambdas/core/model/records.js';
import { renderDigest, SAMPLE_LINKS, sampleDigest, strandsOf } from '../support/digest-fixture.js';

const story = loadStoryFile('stories/s400-turkey.json');
const WEEK = '2019-W29'; // 15–21 July 2019
const window = weekWindow(WEEK, story.timeZone);
const allRead = coverageOf(
  story.sources.map((source) => ({ outlet: source.outlet ?? source.id, state: undefined })),
  {},
);

/** A development reported at `reportedAt`, the title of an article about it as its headline. */
function development(
  id: string,
  type: EventType,
  reportedAt: string,
  extra: Partial<Development> = {},
): Development {
  return {
    id,
    storyId: story.id,
    type,
    date: reportedAt.slice(0, 10),
    precision: 'day',
    actors: ['Turkey'],
    people: [],
    systems: ['S-400'],
    summary: `The sentence that reported ${id}.`,
    firstReportedAt: reportedAt,
    sources: [
      {
        articleId: `article-${id}`,
        url: `https://news.example.com/${id}`,
        outlet: 'Example News',
        title: `Headline of ${id}`,
        publishedAt: reportedAt,
        aboutIt: true,
      },
    ],
    ...extra,
  };
}

const HISTORY = [
  development('contract', 'AGREEMENT', '2017-12-27T09:00:00Z', { amount: 'USD 2.5 billion' }),
  development('first-parts', 'DELIVERY', '2019-07-12T08:00:00Z'),
  development('more-parts', 'DELIVERY', '2019-07-14T15:00:00Z'),
  development('exclusion', 'PROGRAM_EXCLUSION', '2019-07-17T19:00:00Z'),
  development('trump', 'STATEMENT', '2019-07-16T12:00:00Z'),
];

describe('the weekly digest', () => {
  const digest = buildDigest({
    story,
    window,
    recent: HISTORY,
    strands: strandsOf(HISTORY),
    coverage: allRead,
  });

  it('lists the week’s developments under their headline, with the sentence that told them', () => {
    expect(digest.items.map((item) => item.id)).toEqual(['exclusion', 'trump']);
    expect(digest.items[0]).toMatchObject({
      headline: 'Headline of exclusion',
      quote: 'The sentence that reported exclusion.',
    });
    expect(digest.overview).toEqual([
      '2 new developments: programme exclusion, statement.',
      'The biggest: Headline of exclusion',
    ]);
  });

  it('tells where each strand of the story stands, and whether this week moved it', () => {
    expect(digest.status).toEqual([
      {
        label: 'Agreements',
        latestDate: '2017-12-27',
        latestSummary: 'Headline of contract',
        amount: 'USD 2.5 billion',
        changed: false,
      },
      {
        label: 'Deliveries',
        latestDate: '2019-07-14',
        latestSummary: 'Headline of more-parts',
        changed: false,
      },
      {
        label: 'Programme exclusions',
        latestDate: '2019-07-17',
        latestSummary: 'Headline of exclusion',
        changed: true,
      },
    ]);
  });

  it('counts developments in each of the last 12 weeks, this week last', () => {
    expect(digest.timeline).toHaveLength(12);
    expect(digest.timeline.slice(-2)).toEqual([
      { week: '2019-W28', monday: '2019-07-08', count: 2, percent: 100, current: false },
      { week: '2019-W29', monday: '2019-07-15', count: 2, percent: 100, current: true },
    ]);
    expect(digest.timeline[0]).toMatchObject({ week: '2019-W18', count: 0, percent: 0 });
  });

  it('says which sources failed and how many articles of the week were read', () => {
    const coverage = coverageOf(
      [
        {
          outlet: 'TASS',
          state: {
            storyId: story.id,
            sourceId: 'tass',
            url: 'https://tass.com/rss/v2.xml',
            lastCheckedAt: '2019-07-21T23:00:00Z',
            consecutiveFailures: 3,
            lastError: 'HTTP 503',
          },
        },
        {
          outlet: 'Daily Sabah',
          state: {
            storyId: story.id,
            sourceId: 'daily-sabah',
            url: 'https://www.dailysabah.com/rss/politics/diplomacy',
            lastCheckedAt: '2019-07-21T23:00:00Z',
            lastSuccessAt: '2019-07-21T23:00:00Z',
            consecutiveFailures: 0,
          },
        },
      ],
      { stored: 9, 'off-story': 30, duplicate: 2, skipped: 1, 'not-cleanable': 1 },
    );
    expect(coverage).toMatchObject({
      sourcesChecked: 2,
      articlesRead: 41,
      onStory: 9,
      failingSources: [
        { outlet: 'TASS', failing: true, note: '3 failed checks in a row: HTTP 503' },
      ],
    });
    const { text } = renderDigest(
      buildDigest({ story, window, recent: HISTORY, strands: strandsOf(HISTORY), coverage }),
    );
    expect(text).toContain(
      '2 of 2 sources checked; 41 articles of the week read: 9 on the story, 30 off it, 2 already known under another address, 1 unreadable or refused, 1 too heavy to read in time (archived).',
    );
    expect(text).toContain('Failing: TASS (3 failed checks in a row: HTTP 503).');
  });

  it('ranks by independent outlets: syndicated copies do not add weight', () => {
    const source = (id: string, outlet: string, copyOf?: string) => ({
      articleId: id,
      url: `https://news.example.com/${id}`,
      outlet,
      title: id,
      publishedAt: '2019-07-16T10:00:00Z',
      ...(copyOf ? { duplicateOf: { articleId: copyOf, kind: 'copy' as const } } : {}),
    });
    const copied = development('copied', 'DELIVERY', '2019-07-16T09:00:00Z', {
      sources: [source('a', 'Wire'), source('b', 'Paper B', 'a'), source('c', 'Paper C', 'a')],
    });
    const reported = development('reported', 'DELIVERY', '2019-07-15T09:00:00Z', {
      sources: [source('d', 'Wire'), source('e', 'Paper D')],
    });
    const ranked = buildDigest({
      story,
      window,
      recent: [copied, reported],
      strands: strandsOf([copied, reported]),
      coverage: allRead,
    });
    expect(ranked.items.map((item) => item.id)).toEqual(['reported', 'copied']);
  });

  it('marks a development reported before the week but found during it', () => {
    const late = development('late', 'DELIVERY', '2019-07-13T09:00:00Z');
    const withLate = buildDigest({
      story,
      window,
      recent: [...HISTORY, late],
      strands: strandsOf([...HISTORY, late]),
      coverage: allRead,
      foundLate: [late],
    });
    expect(withLate.items.find((item) => item.id === 'late')).toMatchObject({ foundLate: true });
    expect(renderDigest(withLate).text).toContain(
      '* [Reported earlier, found now] Delivery, 13 Jul 2019',
    );
  });

  it('sends a short note with the coverage report when nothing is new', () => {
    const quiet = buildDigest({
      story,
      window,
      recent: HISTORY.slice(0, 3),
      strands: strandsOf(HISTORY.slice(0, 3)),
      coverage: allRead,
    });
    const { subject, text } = renderDigest(quiet);
    expect(subject).toBe('S-400 & Turkey, week 2019-W29: 0 new developments');
    expect(text).toContain('No new developments this week.');
    expect(text).toContain('WHAT WAS READ');
    expect(text).not.toContain('TOP DEVELOPMENTS');
  });
});

describe('a week too long for one email', () => {
  const digest = sampleDigest(120);
  const { html, text } = renderDigest(digest);

  it('stays under the clipping limit and counts what the web version adds', () => {
    expect(Buffer.byteLength(html)).toBeLessThanOrEqual(MAX_HTML_BYTES);
    const more = /(\d+) more developments this week are in the <a href="([^"]+)"/.exec(html);
    expect(more?.[2]).toBe(SAMPLE_LINKS.webUrl);
    const shown = digest.items.length - Number(more?.[1]);
    expect(shown).toBeGreaterThan(20);
    // The most important come first, so those are the ones shown.
    expect(html).toContain(digest.items[shown - 1]?.sources[0]?.url);
    expect(html).not.toContain(`>${digest.items[shown]?.headline}<`);
  });

  it('keeps every development in the plain-text part', () => {
    for (const item of digest.items) expect(text).toContain(item.headline);
  });
});
