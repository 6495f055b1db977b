import { describe, expect, it } from 'vitest';
import { loadStoryFile } from '../../lambdas/adapters/story-file.js';
import { EventExtractor } from '../../lambdas/core/4-extract/events.js';
import { articleMention } from '../../lambdas/core/5-cluster/developments.js';

const story = loadStoryFile('stories/s400-turkey.json');
const extractor = new EventExtractor(story);

/** Written for this test from the facts of 18–20 December 2018. */
const ARTICLE = {
  id: 'a1',
  url: 'https://news.example.com/kremlin-s400',
  outlet: 'Example News',
  title: 'Kremlin: S-400 deal with Turkey stands',
  publishedAt: '2018-12-20T09:00:00Z',
  firstSeenAt: '2018-12-20T10:00:00Z',
  text: [
    'Kremlin spokesman Dmitry Peskov said yesterday that the S-400 contract with Turkey remains in force.',
    'On Tuesday the U.S. State Department approved a possible sale of Patriot missiles to Turkey worth USD 3.5 billion.',
    'In December last year Ankara signed a loan agreement with Moscow to finance the S-400 purchase.',
    'Deliveries of the S-400 to Turkey are expected to start in 2019.',
  ].join('\n\n'),
};

describe('EventExtractor', () => {
  const events = extractor.extract(ARTICLE);

  it('types, dates and attributes each happening', () => {
    expect(
      events.map(({ type, role, date, precision }) => ({ type, role, date, precision })),
    ).toEqual([
      { type: 'STATEMENT', role: 'main', date: '2018-12-19', precision: 'day' },
      { type: 'APPROVAL_RIVAL_OFFER', role: 'new', date: '2018-12-18', precision: 'day' },
      { type: 'FINANCING', role: 'background', date: '2017-12', precision: 'month' },
      { type: 'DELIVERY', role: 'planned', date: '2019', precision: 'year' },
    ]);
    expect(events[0]).toMatchObject({
      people: ['Dmitry Peskov'],
      actors: ['Russia', 'Turkey'],
      systems: ['S-400'],
    });
    expect(events[1]).toMatchObject({
      actors: ['United States', 'Turkey'],
      systems: ['Patriot'],
      amount: 'USD 3.5 billion',
    });
  });

  it('is deterministic: the same article gives the same events and ids', () => {
    expect(extractor.extract(ARTICLE)).toEqual(events);
  });

  it('reports the article’s main happening as its one development mention, keyed by the article', () => {
    const mention = articleMention(story.id, ARTICLE, events);
    expect(mention?.development).toMatchObject({ type: 'STATEMENT', date: '2018-12-19' });
    expect(mention?.source).toMatchObject({ articleId: 'a1', aboutIt: true });
    // The approval it mentions in passing is another article's news, not a second mention.
    const rewrite = {
      ...ARTICLE,
      id: 'a2',
      url: 'https://other.example.org/patriot',
      title: 'US clears Patriot sale to Turkey',
      text: 'Washington on Tuesday approved selling Patriot systems to Ankara, the State Department said.',
    };
    const other = articleMention(story.id, rewrite, extractor.extract(rewrite));
    expect(other?.development.type).toBe('APPROVAL_RIVAL_OFFER');
    expect(other?.development.id).not.toBe(mention?.development.id);
    expect(articleMention(story.id, ARTICLE, events)?.development.id).toBe(mention?.development.id);
  });

  it('takes the main event from the headline: the dated lead of its type, not the standfirst', () => {
    const events = extractor.extract({
      id: 'a3',
      title: 'Pentagon suspends Turkey from F-35 programme',
      publishedAt: '2019-07-17T19:20:00Z',
      firstSeenAt: '2019-07-17T19:30:00Z',
      text: [
        "Washington says accepting the S-400 makes Turkey's role in the F-35 programme impossible.",
        'Russian aircraft delivered more S-400 parts to Turkey on Tuesday.',
        'The Pentagon said on Wednesday it was suspending Turkey from the F-35 programme.',
      ].join('\n\n'),
    });
    expect(events.find((event) => event.role === 'main')).toMatchObject({
      type: 'PROGRAM_EXCLUSION',
      date: '2019-07-17',
      evidence: expect.stringMatching(/^The Pentagon said on Wednesday/),
    });
  });

  it('dates a statement by its saying, not by the deadline it sets', () => {
    const [event] = extractor.extract({
      id: 'a4',
      title: 'US gives Turkey until July 31 to drop S-400',
      publishedAt: '2019-06-08T09:00:00Z',
      firstSeenAt: '2019-06-08T09:00:00Z',
      text: 'Patrick Shanahan told Hulusi Akar on Friday that Turkey has until July 31 to drop the S-400 or be removed from the F-35 programme.',
    });
    expect(event).toMatchObject({ type: 'WARNING_THREAT', role: 'main', date: '2019-06-07' });
  });

  it('attributes a quote told by "he said" to the last speaker named', () => {
    const events = extractor.extract({
      id: 'a5',
      title: 'Erdogan confirms S-400 tests',
      publishedAt: '2020-10-24T09:00:00Z',
      firstSeenAt: '2020-10-24T09:00:00Z',
      text: 'Recep Tayyip Erdogan on Friday confirmed the S-400 tests.\n\n"Those who object to the S-400 will not stop us," he warned reporters.',
    });
    expect(events[1]).toMatchObject({
      type: 'WARNING_THREAT',
      people: ['Recep Tayyip Erdogan'],
      actors: expect.arrayContaining(['Turkey']),
    });
  });

  it('gives the main happening once when the lead tells it twice without a date', () => {
    const events = extractor.extract({
      id: 'a6',
      title: 'Putin and Erdogan agree to speed up S-400 deliveries',
      publishedAt: '2018-04-03T18:00:00Z',
      firstSeenAt: '2018-04-03T18:00:00Z',
      text: 'Russia and Turkey agreed to accelerate the S-400 supply.\n\nThe two leaders agreed on the new S-400 schedule, Putin and Erdogan said.',
    });
    expect(events.filter((event) => event.type === 'AGREEMENT')).toEqual([
      expect.objectContaining({ role: 'main', date: '2018-04-03' }),
    ]);
  });
});
