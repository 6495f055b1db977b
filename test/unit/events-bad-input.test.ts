import { describe, expect, it } from 'vitest';
import { loadStoryFile } from '../../lambdas/adapters/story-file.js';
import { EventExtractor } from '../../lambdas/core/4-extract/events.js';

const extractor = new EventExtractor(loadStoryFile('stories/s400-turkey.json'));
const article = (text: string, fields: { title?: string; lang?: string } = {}) => ({
  id: 'bad',
  text,
  publishedAt: '2019-07-18T09:00:00Z',
  firstSeenAt: '2019-07-18T09:00:00Z',
  ...fields,
});

describe('EventExtractor on articles it cannot read well', () => {
  it('gives nothing for an empty text, and says why', () => {
    expect(extractor.extract(article(''))).toEqual([]);
    expect(extractor.whyNoEvents(article(''))).toBe('no text');
  });

  it('gives nothing for an article that names none of the story actors', () => {
    const text = 'The council approved a new budget on Tuesday. The mayor said it was fair.';
    expect(extractor.extract(article(text))).toEqual([]);
    expect(extractor.whyNoEvents(article(text))).toBe("no sentence names the story's actors");
  });

  it('gives nothing for an article in a language it does not read, rather than guesses, and says so', () => {
    const text =
      'Turecko podle ministerstva obrany dokončilo zkoušky systému S-400 u Ankary. Ministerstvo zahraničí to potvrdilo.';
    const input = article(text, { lang: 'cs' });
    expect(extractor.extract(input)).toEqual([]);
    expect(extractor.whyNoEvents(input)).toMatch(
      /^written in cs, which the extractor does not read/,
    );
  });

  it('reads the main happening of an article in a language it has cues for', () => {
    const text =
      'Türkiye ile Rusya, S-400 anlaşmasının ikinci bölümü için görüşmelerin sürdüğünü açıkladı. Dışişleri Bakanlığı açıklama yaptı.';
    expect(extractor.extract(article(text, { lang: 'tr' }))).toMatchObject([
      {
        role: 'main',
        type: 'NEGOTIATION_MEETING',
        actors: ['Turkey', 'Russia'],
        systems: ['S-400'],
      },
    ]);
  });

  it('marks an event with no date in the text as less certain than a dated one', () => {
    const [undated] = extractor.extract(
      article('Turkey received S-400 parts from Russia, the ministry said.'),
    );
    const [dated] = extractor.extract(
      article('Turkey received S-400 parts from Russia on Friday, the ministry said.'),
    );
    expect(undated?.confidence).toBeLessThan(dated?.confidence ?? 0);
  });

  it('reads an article of only quotes without taking a quoted future for its own', () => {
    const events = extractor.extract(
      article(
        '"We will not ask America for permission," Erdogan said on Friday of the S-400 tests.\n\n"The tests have been done," he told reporters about Turkey and Russia\'s system.',
      ),
    );
    expect(events[0]).toMatchObject({ date: '2019-07-12', role: 'main' });
  });

  it('reads a thousand sentences, each event once, the same every time', () => {
    const text = Array.from(
      { length: 1_000 },
      (_, index) => `Russia delivered S-400 part ${index} to Turkey on Friday.`,
    ).join(' ');
    const events = extractor.extract(article(text));
    expect(events).toHaveLength(1_000);
    expect(new Set(events.map((event) => event.id)).size).toBe(1_000);
    expect(extractor.extract(article(text))).toEqual(events);
  });
});
