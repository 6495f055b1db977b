import { describe, expect, it } from 'vitest';
import { LANGUAGE_CUES } from '../../lambdas/core/4-extract/languages/index.js';
import type { LanguageCues } from '../../lambdas/core/4-extract/languages/language-cues.js';
import { BASE_EVENT_TYPES } from '../../lambdas/core/model/records.js';

/** Every list of cues a language holds, named for the failure message. */
function listsOf(cues: LanguageCues): [string, readonly string[]][] {
  return [
    ...Object.entries(cues.types).map(([type, list]): [string, readonly string[]] => [
      `types.${type}`,
      list ?? [],
    ]),
    ['speech', cues.speech],
    ['future', cues.future],
    ['negation', cues.negation],
    ...cues.weekdays.map((forms, day): [string, readonly string[]] => [`weekdays[${day}]`, forms]),
    ['yesterday', cues.yesterday],
    ['today', cues.today],
    ['lastWeek', cues.lastWeek],
  ];
}

describe('language cues', () => {
  it('covers the languages the extractor reads', () => {
    expect([...LANGUAGE_CUES.keys()].sort()).toEqual(
      [
        'ar',
        'de',
        'el',
        'en',
        'es',
        'fa',
        'fr',
        'hu',
        'id',
        'it',
        'ja',
        'nl',
        'no',
        'pl',
        'pt',
        'ru',
        'sv',
        'tr',
        'uk',
        'zh',
      ].sort(),
    );
  });

  describe.each([...LANGUAGE_CUES])('%s', (key, cues) => {
    it('is keyed by its own code', () => {
      expect(cues.code).toBe(key);
    });

    it('writes every cue non-empty, trimmed and lower-case', () => {
      const bad = listsOf(cues).flatMap(([name, list]) =>
        list
          .filter(
            (cue) =>
              cue.length === 0 || cue !== cue.trim() || cue !== cue.toLocaleLowerCase(cues.code),
          )
          .map((cue) => `${name}: ${JSON.stringify(cue)}`),
      );
      expect(bad).toEqual([]);
    });

    it('repeats no cue within a list', () => {
      const repeated = listsOf(cues).flatMap(([name, list]) =>
        list.filter((cue, i) => list.indexOf(cue) !== i).map((cue) => `${name}: ${cue}`),
      );
      expect(repeated).toEqual([]);
    });

    it('names the seven weekdays, Monday first, each with a form', () => {
      expect(cues.weekdays).toHaveLength(7);
      for (const forms of cues.weekdays) expect(forms.length).toBeGreaterThan(0);
    });

    it('gives at least three cues for every base event type', () => {
      const thin = BASE_EVENT_TYPES.filter((type) => (cues.types[type]?.length ?? 0) < 3);
      expect(thin).toEqual([]);
    });

    it('gives cues of saying, future, negation and the relative days', () => {
      for (const list of [cues.speech, cues.future, cues.negation]) {
        expect(list.length).toBeGreaterThan(0);
      }
      for (const list of [cues.yesterday, cues.today, cues.lastWeek]) {
        expect(list.length).toBeGreaterThan(0);
      }
    });

    it('keeps cues of unspaced scripts two characters or longer', () => {
      const short = cues.unspaced
        ? listsOf(cues).flatMap(([name, list]) =>
            list.filter((cue) => [...cue].length < 2).map((cue) => `${name}: ${cue}`),
          )
        : [];
      expect(short).toEqual([]);
    });
  });
});
