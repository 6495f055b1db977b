import { describe, expect, it } from 'vitest';
import { mergeDevelopments } from '../../lambdas/core/5-cluster/development-merge.js';
import type { Development } from '../../lambdas/core/model/records.js';

function development(id: string, fields: Partial<Development>): Development {
  return {
    id,
    storyId: 's400-turkey',
    type: 'STATEMENT',
    date: '2019-07-17',
    precision: 'day',
    actors: ['United States', 'Turkey'],
    people: [],
    systems: ['F-35', 'S-400'],
    summary: '',
    firstReportedAt: '2019-07-17T19:00:00Z',
    sources: [
      {
        articleId: `article-${id}`,
        url: `https://news.example/${id}`,
        outlet: id,
        title: id,
        publishedAt: undefined,
      },
    ],
    ...fields,
  };
}

const pentagon = development('pentagon', {
  type: 'PROGRAM_EXCLUSION',
  summary:
    'The Pentagon said on Wednesday it was suspending Turkey from the F-35 stealth fighter programme.',
});
const whiteHouse = development('white-house', {
  summary:
    'The White House said Turkey was suspended from the F-35 stealth fighter programme after the S-400.',
  firstReportedAt: '2019-07-17T21:05:00Z',
});

describe('mergeDevelopments', () => {
  it('merges one happening typed and keyed differently, keeping its first report and every source', () => {
    const [merged, ...rest] = mergeDevelopments([whiteHouse, pentagon]);
    expect(rest).toEqual([]);
    expect(merged).toMatchObject({
      id: 'pentagon',
      type: 'PROGRAM_EXCLUSION',
      summary: pentagon.summary,
    });
    expect(merged?.sources.map((source) => source.outlet)).toEqual(['pentagon', 'white-house']);
  });

  it('keeps apart statements by different speakers on the same day', () => {
    const peskov = development('peskov', {
      people: ['Dmitry Peskov'],
      actors: ['Russia', 'Turkey'],
    });
    const cavusoglu = development('cavusoglu', {
      people: ['Mevlut Cavusoglu'],
      actors: ['Turkey'],
    });
    expect(mergeDevelopments([peskov, cavusoglu])).toHaveLength(2);
  });

  it('keeps apart statements on the same systems that share no wording or speaker', () => {
    const trump = development('trump', {
      date: '2019-07-16',
      summary: 'Trump said Turkey would not be allowed to buy the jets.',
    });
    expect(mergeDevelopments([trump, whiteHouse])).toHaveLength(2);
  });

  it('merges deliveries of the same day, not those two days apart', () => {
    const delivery = (id: string, date: string) =>
      development(id, { type: 'DELIVERY', date, actors: ['Russia', 'Turkey'], systems: ['S-400'] });
    expect(
      mergeDevelopments([delivery('a', '2019-07-12'), delivery('b', '2019-07-12')]),
    ).toHaveLength(1);
    expect(
      mergeDevelopments([delivery('a', '2019-07-12'), delivery('b', '2019-07-14')]),
    ).toHaveLength(2);
  });

  it('is the same whatever the order it reads the developments in', () => {
    const others = [
      development('trump', {
        date: '2019-07-16',
        people: ['Donald Trump'],
        summary: 'Trump said Turkey would not get the jets.',
      }),
      development('trump-again', {
        date: '2019-07-16',
        people: ['Donald Trump'],
        firstReportedAt: '2019-07-18T08:00:00Z',
      }),
    ];
    const all = [pentagon, whiteHouse, ...others];
    expect(mergeDevelopments([...all].reverse())).toEqual(mergeDevelopments(all));
    expect(mergeDevelopments(all)).toHaveLength(2);
  });

  it('links a denial to the latest claim or act before it on the same actors and systems', () => {
    const claim = development('claim', {
      date: '2021-01-10',
      actors: ['Russia', 'Turkey'],
      systems: ['S-400'],
      people: ['Dmitry Shugayev'],
      summary: 'Shugayev says the second-batch agreement is signed.',
    });
    const older = development('older', {
      date: '2020-11-01',
      actors: ['Turkey'],
      systems: ['S-400'],
    });
    const later = development('later', {
      type: 'AGREEMENT',
      date: '2021-01-20',
      actors: ['Turkey'],
      systems: ['S-400'],
    });
    const denial = development('denial', {
      type: 'DENIAL',
      date: '2021-01-12',
      actors: ['Turkey', 'Russia'],
      systems: ['S-400'],
      summary: 'Turkey denies any new S-400 agreement with Russia.',
    });
    const merged = mergeDevelopments([older, claim, denial, later]);
    expect(merged.find((item) => item.id === 'denial')?.answers).toEqual({
      id: 'claim',
      type: 'STATEMENT',
      date: '2021-01-10',
      summary: claim.summary,
      // No source is about the claim: its sentence is its one line.
      headline: claim.summary,
    });
    expect(merged.find((item) => item.id === 'claim')).not.toHaveProperty('answers');
  });
});
