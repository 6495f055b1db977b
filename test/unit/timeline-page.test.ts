import { describe, expect, it } from 'vitest';
import type { Development, EventType } from '../../lambdas/core/model/records.js';
import { renderTimeline, SCRIPT_TITLE, sampleDevelopments } from '../support/digest-fixture.js';

/** A development with one article about it, whose title is its headline. */
function development(
  id: string,
  type: EventType,
  date: string,
  actors: readonly string[],
  extra: Partial<Development> = {},
): Development {
  const day = /^\d{4}-\d{2}-\d{2}$/.test(date) ? date : '2019-07-20';
  return {
    id,
    storyId: 's400-turkey',
    type,
    date,
    precision: 'day',
    actors,
    people: [],
    systems: ['S-400'],
    summary: `The sentence that reported ${id}.`,
    firstReportedAt: `${day}T09:00:00Z`,
    sources: [
      {
        articleId: `article-${id}`,
        url: `https://news.example.com/${id}`,
        outlet: 'Example News',
        title: `Headline of ${id}`,
        publishedAt: `${day}T09:00:00Z`,
        aboutIt: true,
      },
    ],
    ...extra,
  };
}

const HISTORY: readonly Development[] = [
  development('contract', 'AGREEMENT', '2017-12-27', ['Russia', 'Turkey']),
  development('exclusion', 'PROGRAM_EXCLUSION', '2019-07-17', ['United States', 'Turkey']),
  development('first-parts', 'DELIVERY', '2019-07-12', ['Russia', 'Turkey']),
  development('summer-talks', 'NEGOTIATION_MEETING', '2018-summer', ['Russia', 'Turkey']),
  development('july-warning', 'WARNING_THREAT', '2019-06', ['United States']),
  development('trump', 'STATEMENT', '2019-07-16', ['United States', 'Россия', 'All'], {
    sources: [
      {
        articleId: 'article-trump',
        url: 'https://news.example.com/trump',
        outlet: 'Example News',
        title: SCRIPT_TITLE,
        publishedAt: '2019-07-16T12:00:00Z',
        aboutIt: true,
      },
      {
        articleId: 'article-evil',
        url: 'javascript:alert(1)',
        outlet: 'Evil Outlet',
        title: 'Click me',
        publishedAt: '2019-07-16T13:00:00Z',
      },
    ],
  }),
];

const html = renderTimeline({
  storyTitle: 'S-400 & Turkey',
  upTo: '2019-07-21',
  history: HISTORY,
  digestUrl: 'https://digest.example.org/digests/s400-turkey/2019-W29',
});

/** The development entries (the list's direct items) in page order. */
function entries(page: string): { type: string; actors: string; body: string }[] {
  const list = /<ol class="entries">([\s\S]*)<\/ol>/.exec(page)?.[1] ?? '';
  return [
    ...list.matchAll(/<li data-type="([^"]*)" data-actors="([^"]*)">([\s\S]*?)\n<\/li>/g),
  ].map(([, type = '', actors = '', body = '']) => ({ type, actors, body }));
}

describe('the story timeline page', () => {
  it('lists every development newest first, with its date, type, actors and sources', () => {
    const shown = entries(html);
    expect(shown.map((entry) => entry.type)).toEqual([
      'PROGRAM_EXCLUSION', // 17 Jul 2019
      'STATEMENT', // 16 Jul 2019
      'DELIVERY', // 12 Jul 2019
      'WARNING_THREAT', // Jun 2019
      'NEGOTIATION_MEETING', // summer 2018
      'AGREEMENT', // 27 Dec 2017
    ]);
    const [exclusion] = shown;
    expect(exclusion?.body).toContain(
      '<span class="label">Programme exclusion</span> · 17 Jul 2019 · United States, Turkey',
    );
    expect(exclusion?.body).toContain('<h2 class="headline">Headline of exclusion</h2>');
    expect(exclusion?.body).toContain(
      '<a href="https://news.example.com/exclusion" rel="noopener noreferrer">Headline of exclusion</a> – Example News, 17 Jul 2019',
    );
    expect(shown[3]?.body).toContain('· Jun 2019 ·');
    expect(shown[4]?.body).toContain('· summer 2018 ·');
    expect(html).toContain('6 developments up to 21 Jul 2019, newest first.');
    expect(html).toContain('<title>S-400 &amp; Turkey – timeline</title>');
    expect(html).toContain('href="https://digest.example.org/digests/s400-turkey/2019-W29"');
  });

  it('shows a scraped title as text and drops a javascript: link', () => {
    expect(html).not.toContain('<script');
    expect(html).toContain('S-400 test &lt;script&gt;alert(1)&lt;/script&gt; near Sinop');
    expect(html).not.toMatch(/javascript:/i);
    expect(html).not.toContain('Evil Outlet');
    expect(html).not.toContain('Click me');
  });

  it('has a filter option and its CSS rule for each type and actor of the history, All checked', () => {
    expect(html).toContain('<input class="choice" type="radio" name="type" id="type-all" checked>');
    expect(html).toContain(
      '<input class="choice" type="radio" name="actor" id="actor-all" checked>',
    );
    const types = new Set(HISTORY.map((item) => item.type));
    for (const type of types) {
      expect(html).toContain(`<input class="choice" type="radio" name="type" id="type-${type}">`);
      expect(html).toMatch(
        new RegExp(`<label for="type-${type}">[^<]+ <span class="count">1</span>`),
      );
      expect(html).toContain(
        `#type-${type}:checked ~ .entries > li:not([data-type="${type}"]) { display: none; }`,
      );
    }
    expect(html.match(/ name="type" /g)).toHaveLength(types.size + 1);
    // Actors by how often they appear; slugs are safe in ids and selectors, and unique.
    const actors = { turkey: 4, russia: 3, 'united-states': 3, 'all-2': 1, actor: 1 };
    for (const [slug, count] of Object.entries(actors)) {
      expect(html).toContain(`<input class="choice" type="radio" name="actor" id="actor-${slug}">`);
      expect(html).toMatch(
        new RegExp(`<label for="actor-${slug}">[^<]+ <span class="count">${count}</span>`),
      );
      expect(html).toContain(
        `#actor-${slug}:checked ~ .entries > li:not([data-actors~="${slug}"]) { display: none; }`,
      );
    }
    expect(html.match(/ name="actor" /g)).toHaveLength(Object.keys(actors).length + 1);
    expect(html).toContain('<label for="actor-actor">Россия <span class="count">1</span>');
    expect(entries(html)[1]?.actors).toBe('united-states actor all-2');
  });

  it('covers a long history: every type and actor of it filterable', () => {
    const history = sampleDevelopments(60);
    const page = renderTimeline({ storyTitle: 'S-400', upTo: '2020-10-18', history });
    expect(entries(page)).toHaveLength(60);
    for (const { type } of history) expect(page).toContain(`#type-${type}:checked ~`);
    for (const slug of ['turkey', 'russia', 'united-states', 'greece', 'nato'])
      expect(page).toContain(`#actor-${slug}:checked ~`);
  });
});
