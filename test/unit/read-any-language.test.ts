import { describe, expect, it } from 'vitest';
import { loadStoryFile } from '../../lambdas/adapters/story-file.js';
import { CueTyper } from '../../lambdas/core/4-extract/cue-typer.js';
import { DayWords } from '../../lambdas/core/4-extract/day-words.js';
import { foldText } from '../../lambdas/core/4-extract/fold-text.js';
import { detectLanguage } from '../../lambdas/core/4-extract/language.js';
import { LANGUAGE_CUES } from '../../lambdas/core/4-extract/languages/index.js';
import { TermMatcher } from '../../lambdas/core/4-extract/term-matcher.js';

describe('foldText: text as matching reads it', () => {
  it('folds Cyrillic look-alikes in Latin words, and leaves Russian words Russian', () => {
    // "Тurkеy" below holds a Cyrillic Т and е.
    expect(foldText('\u0422urk\u0435y receives parts')).toBe('Turkey receives parts');
    expect(foldText('Турция получила первые компоненты С-400')).toBe(
      'Турция получила первые компоненты С-400',
    );
  });

  it('folds compatibility forms, invisible characters, odd spaces, quotes and digits', () => {
    expect(foldText('Ｓ－４００')).toBe('S-400');
    expect(foldText('de\u00ADli\u00ADvered\u00A0on “Friday”')).toBe('delivered on "Friday"');
    expect(foldText('اس-۴۰۰')).toBe('اس-400');
  });

  it('makes one spelling of Greek accents, the Turkish dotted capital and Arabic letter variants', () => {
    expect(foldText('Τουρκία')).toBe('Τουρκια');
    expect(foldText('İSTANBUL')).toBe('ISTANBUL');
    expect(foldText('ترکیه')).toBe(foldText('تركيه'));
  });
});

describe('detectLanguage', () => {
  it('tells the language of a text from its own letters, and not of a scrap', () => {
    expect(
      detectLanguage('Turkey received the first parts of the air defence system on Friday.'),
    ).toBe('en');
    expect(
      detectLanguage('Турция получила первые компоненты зенитной ракетной системы в пятницу.'),
    ).toBe('ru');
    expect(
      detectLanguage(
        'Milli Savunma Bakanlığı, sistemin ilk parçalarının teslim edildiğini açıkladı.',
      ),
    ).toBe('tr');
    expect(detectLanguage('S-400')).toBeUndefined();
  });
});

describe('TermMatcher in any language', () => {
  const matcher = new TermMatcher([
    ['Турци*', 'Turkey'],
    ['Erdoğan', 'Erdogan'],
    ['S-400', 'S-400'],
    ['トルコ', 'Turkey'],
  ]);

  it('matches a prefix term in every inflection, a suffix after an apostrophe, and unspaced scripts', () => {
    expect(matcher.values('Поставки в Турцию начались')).toEqual(['Turkey']);
    expect(matcher.values("Erdoğan'ın açıklaması")).toEqual(['Erdogan']);
    expect(matcher.values('ロシアのS-400防空システムをトルコが配備')).toEqual(['S-400', 'Turkey']);
    expect(matcher.values('XS-400 and Турист')).toEqual([]);
  });
});

describe('DayWords: the day a sentence names, in its language', () => {
  const days = new DayWords(LANGUAGE_CUES);
  const published = '2019-07-13T07:30:00Z';

  it('reads written dates and weekdays relative to the publication day', () => {
    expect(days.resolve('Компоненты доставлены в пятницу на авиабазу', published, 'ru')?.date).toBe(
      '2019-07-12',
    );
    expect(days.resolve("Parçalar 12 Temmuz'da Mürted'e ulaştı", published, 'tr')?.date).toBe(
      '2019-07-12',
    );
    expect(days.resolve('7月12日、部品が到着した', published, 'ja')?.date).toBe('2019-07-12');
    expect(days.resolve('Am 12.07.2019 landeten die Maschinen', published, 'de')?.date).toBe(
      '2019-07-12',
    );
    expect(days.resolve('Вчера прибыл второй самолёт', published, 'ru')?.date).toBe('2019-07-12');
    expect(days.resolve('Поставки продолжатся', published, 'ru')).toBeUndefined();
  });
});

describe('CueTyper: a sentence’s happening from cue words', () => {
  const story = loadStoryFile('stories/s400-turkey.json');
  const typer = new CueTyper(story, LANGUAGE_CUES);

  it('takes the predicate: last where the verb comes last, first elsewhere', () => {
    expect(
      typer.typeOf('S-400 anlaşmasının ikinci bölümü için görüşmelerin sürdüğünü açıkladı', 'tr')
        ?.type,
    ).toBe('NEGOTIATION_MEETING');
    expect(typer.typeOf('Турция получила первые компоненты С-400', 'ru')?.type).toBe('DELIVERY');
  });

  it('reads an act still to come as a statement', () => {
    expect(
      typer.typeOf('Эрдоган заявил, что поставки С-400 будут начаты в июле', 'ru'),
    ).toMatchObject({
      type: 'STATEMENT',
      future: true,
    });
  });

  it('needs the story’s own words for an exclusion, and a rival for a rival offer', () => {
    const noProgrammes = new CueTyper({ events: { types: [], cues: {} } }, LANGUAGE_CUES);
    const suspension = 'A Anac suspendeu as operações com aeronaves do modelo';
    expect(noProgrammes.typeOf(suspension, 'pt')?.type).not.toBe('PROGRAM_EXCLUSION');
  });
});
