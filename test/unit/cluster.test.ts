import { describe, expect, it } from 'vitest';
import { clusterMentions } from '../../lambdas/core/5-cluster/cluster.js';
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

describe('clusterMentions: one development per happening', () => {
  it('merges one happening typed and keyed differently, keeping its first report and every source', () => {
    const [merged, ...rest] = clusterMentions([whiteHouse, pentagon]);
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
    expect(clusterMentions([peskov, cavusoglu])).toHaveLength(2);
  });

  it('keeps apart statements on the same systems that share no wording or speaker', () => {
    const trump = development('trump', {
      date: '2019-07-16',
      summary: 'Trump said Turkey would not be allowed to buy the jets.',
    });
    expect(clusterMentions([trump, whiteHouse])).toHaveLength(2);
  });

  it('merges deliveries of the same day, not those two days apart', () => {
    const delivery = (id: string, date: string) =>
      development(id, { type: 'DELIVERY', date, actors: ['Russia', 'Turkey'], systems: ['S-400'] });
    expect(
      clusterMentions([delivery('a', '2019-07-12'), delivery('b', '2019-07-12')]),
    ).toHaveLength(1);
    expect(
      clusterMentions([delivery('a', '2019-07-12'), delivery('b', '2019-07-14')]),
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
    expect(clusterMentions([...all].reverse())).toEqual(clusterMentions(all));
    expect(clusterMentions(all)).toHaveLength(2);
  });

  it('types a development by most of its reports, an act before a statement on a tie', () => {
    const statement = development('statement', { summary: whiteHouse.summary });
    const [merged] = clusterMentions([
      statement,
      development('exclusion-1', { type: 'PROGRAM_EXCLUSION', summary: pentagon.summary }),
      development('exclusion-2', {
        type: 'PROGRAM_EXCLUSION',
        summary: 'Washington suspended Turkey from the F-35 programme on Wednesday.',
      }),
    ]);
    expect(merged?.type).toBe('PROGRAM_EXCLUSION');
  });

  it('dates a development by the day most of its reports give, the earliest on a tie', () => {
    const delivery = (id: string, date: string, summary: string) =>
      development(id, { type: 'DELIVERY', date, actors: ['Russia', 'Turkey'], summary });
    const [merged, ...rest] = clusterMentions([
      delivery('first', '2019-07-12', 'The first S-400 parts arrived at Murted air base.'),
      delivery('same', '2019-07-12', 'Russian planes delivered the first S-400 parts to Ankara.'),
      delivery('a-day-late', '2019-07-13', 'The first S-400 parts were delivered yesterday.'),
    ]);
    expect(rest).toEqual([]);
    expect(merged).toMatchObject({ date: '2019-07-12', precision: 'day' });
  });

  it('never merges an answer into what it answers', () => {
    const claim = development('claim', {
      date: '2021-01-10',
      people: ['Dmitry Shugayev'],
      summary: 'Shugayev says a second S-400 contract with Turkey is signed.',
    });
    const denial = development('denial', {
      type: 'DENIAL',
      date: '2021-01-10',
      people: ['Ibrahim Kalin'],
      summary: 'Ankara denies that a second S-400 contract with Russia is signed.',
    });
    expect(clusterMentions([claim, denial])).toHaveLength(2);
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
    const merged = clusterMentions([older, claim, denial, later]);
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

  it('keeps one regulator’s grounding apart from another’s on the same day, even through a report naming both', () => {
    const grounding = (id: string, actors: string[], summary: string) =>
      development(id, {
        type: 'LEGAL_REGULATORY',
        date: '2019-03-11',
        actors,
        systems: ['737 MAX'],
        summary,
      });
    // The story's own actor (Boeing) is in every report; each regulator in few.
    const others = Array.from({ length: 6 }, (_, index) =>
      development(`other-${index}`, {
        date: `2019-02-0${index + 1}`,
        actors: ['Boeing'],
        systems: ['737 MAX'],
        summary: `Boeing report ${index}`,
      }),
    );
    const clusters = clusterMentions([
      ...others,
      grounding('china', ['China', 'Boeing'], 'China grounds the 737 MAX.'),
      grounding(
        'bridge',
        ['Boeing', 'China', 'Indonesia'],
        'Boeing 737 MAX grounded in China and Indonesia.',
      ),
      grounding('indonesia', ['Indonesia', 'Boeing'], 'Indonesia grounds the 737 MAX.'),
    ]);
    const of = (id: string) =>
      clusters.find((cluster) => cluster.sources.some((s) => s.outlet === id));
    expect(of('china')).not.toBe(of('indonesia'));
  });

  it('joins a report dated only by its publication to the happening of the days before it', () => {
    const signing = (id: string, date: string, datedBy: 'text' | 'publication') =>
      development(id, {
        type: 'AGREEMENT',
        date,
        datedBy,
        actors: ['Turkey', 'Russia'],
        systems: ['S-400'],
        summary: 'Turkey signed the S-400 contract with Russia.',
      });
    const [merged, ...rest] = clusterMentions([
      signing('text', '2017-09-12', 'text'),
      signing('later', '2017-09-14', 'publication'),
    ]);
    expect(rest).toEqual([]);
    expect(merged).toMatchObject({ date: '2017-09-12', precision: 'day' });
  });

  it('joins a report in another language of the same day naming the same system, whatever its type', () => {
    const turkish = (date: string) =>
      development(`tr-${date}`, {
        type: 'DELIVERY',
        date,
        systems: ['F-35'],
        summary: "ABD Savunma Bakanlığı, Ankara'nın savaş uçağı projesindeki rolünü sona erdirdi.",
        firstReportedAt: `${date}T22:00:00Z`,
      });
    const [merged, ...rest] = clusterMentions([pentagon, turkish('2019-07-17')]);
    expect(rest).toEqual([]);
    expect(merged?.sources.map((source) => source.outlet)).toEqual(['pentagon', 'tr-2019-07-17']);
    // A day apart, they share too little to be told as one.
    expect(clusterMentions([pentagon, turkish('2019-07-18')])).toHaveLength(2);
  });
});
