import { addDays, isoWeekOf, mondayOf } from '../model/iso-week.js';
import { MONTH_BY_NAME } from '../model/month-names.js';
import { cueTerm } from './cue-typer.js';
import type { LanguageCues } from './languages/language-cues.js';
import type { EventDate } from './temporal.js';
import { TermMatcher } from './term-matcher.js';

const MONTH_PATTERN = [...MONTH_BY_NAME.keys()]
  .sort((a, b) => b.length - a.length)
  .map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
  .join('|');
/** "12 Temmuz 2019", "12 июля", "12. Juli", "12 de julio de 2019", "le 12 juillet". */
const DAY_MONTH = new RegExp(
  `(?<![\\p{L}\\p{N}])(\\d{1,2})(?:\\.|º|er)?\\s*(?:de\\s+)?(${MONTH_PATTERN})(?![\\p{L}])\\.?(?:,?\\s+(?:de\\s+)?((?:19|20)\\d{2}))?`,
  'iu',
);
/** "July 12, 2019", "juli 12". */
const MONTH_DAY = new RegExp(
  `(?<![\\p{L}])(${MONTH_PATTERN})\\.?\\s+(\\d{1,2})(?![\\p{N}])(?:,?\\s+((?:19|20)\\d{2}))?`,
  'iu',
);
/** "7月12日", "2019年7月12日". */
const CJK_DATE = /(?:((?:19|20)\d{2})年)?(\d{1,2})月(\d{1,2})日/u;
/** "12.07.2019", "12/07/2019" (day first), "2019-07-12". */
const NUMERIC_DATE =
  /(?<![\p{N}.])(?:(\d{1,2})[./](\d{1,2})[./]((?:19|20)\d{2})|((?:19|20)\d{2})-(\d{2})-(\d{2}))(?![\p{N}])/u;

interface CompiledDays {
  readonly weekdays: readonly TermMatcher<number>[];
  readonly yesterday: TermMatcher<true>;
  readonly today: TermMatcher<true>;
  readonly lastWeek: TermMatcher<true>;
}

/**
 * Reads the day a sentence in any language names, relative to its article's publication day:
 * a written date ("12 Temmuz", "12 июля 2019", "7月12日", "12.07.2019"), a weekday (the latest
 * one on or before the publication day: news tells the past), "yesterday", "today" or "last
 * week" in the sentence's language.
 */
export class DayWords {
  private readonly languages = new Map<string, CompiledDays>();

  constructor(cues: ReadonlyMap<string, LanguageCues>) {
    for (const [code, language] of cues) {
      const words = (list: readonly string[]) =>
        new TermMatcher(list.map((word) => [cueTerm(word), true] as const));
      this.languages.set(code, {
        weekdays: language.weekdays.map(
          (forms, index) => new TermMatcher(forms.map((form) => [cueTerm(form), index] as const)),
        ),
        yesterday: words(language.yesterday),
        today: words(language.today),
        lastWeek: words(language.lastWeek),
      });
    }
  }

  /** The first day the sentence names; undefined when it names none. */
  resolve(sentence: string, reference: string, lang: string): EventDate | undefined {
    const published = reference.slice(0, 10);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(published)) return undefined;
    const written = writtenDate(sentence, published);
    if (written) return written;
    const language = this.languages.get(lang);
    if (!language) return undefined;
    const day = (date: string, text: string): EventDate => ({
      date,
      precision: 'day',
      text,
      earliest: date,
    });
    const [yesterday] = language.yesterday.matches(sentence);
    if (yesterday) return day(addDays(published, -1), yesterday.term);
    for (const [index, matcher] of language.weekdays.entries()) {
      const [named] = matcher.matches(sentence);
      if (!named) continue;
      // Monday is 0; the latest such weekday on or before the publication day.
      const publishedWeekday = (new Date(`${published}T00:00:00Z`).getUTCDay() + 6) % 7;
      return day(addDays(published, -((publishedWeekday - index + 7) % 7)), named.term);
    }
    const [today] = language.today.matches(sentence);
    if (today) return day(published, today.term);
    const [lastWeek] = language.lastWeek.matches(sentence);
    if (lastWeek) {
      const week = isoWeekOf(addDays(published, -7));
      return { date: week, precision: 'week', text: lastWeek.term, earliest: mondayOf(week) };
    }
    return undefined;
  }
}

/** A date written out, its year the publication's (or the one before, if it would lie ahead). */
function writtenDate(sentence: string, published: string): EventDate | undefined {
  const found = (year: string | undefined, month: number, dayOfMonth: number, text: string) => {
    if (month < 1 || month > 12 || dayOfMonth < 1 || dayOfMonth > 31) return undefined;
    const pad = (value: number) => String(value).padStart(2, '0');
    let date = `${year ?? published.slice(0, 4)}-${pad(month)}-${pad(dayOfMonth)}`;
    if (!year && date > addDays(published, 1)) {
      date = `${Number(published.slice(0, 4)) - 1}${date.slice(4)}`;
    }
    return { date, precision: 'day' as const, text, earliest: date };
  };
  const numeric = NUMERIC_DATE.exec(sentence);
  if (numeric) {
    return numeric[4]
      ? found(numeric[4], Number(numeric[5]), Number(numeric[6]), numeric[0])
      : found(numeric[3], Number(numeric[2]), Number(numeric[1]), numeric[0]);
  }
  const cjk = CJK_DATE.exec(sentence);
  if (cjk) return found(cjk[1], Number(cjk[2]), Number(cjk[3]), cjk[0]);
  const dayMonth = DAY_MONTH.exec(sentence);
  if (dayMonth) {
    const month = MONTH_BY_NAME.get((dayMonth[2] ?? '').toLowerCase()) ?? 0;
    return found(dayMonth[3], month, Number(dayMonth[1]), dayMonth[0]);
  }
  const monthDay = MONTH_DAY.exec(sentence);
  if (monthDay) {
    const month = MONTH_BY_NAME.get((monthDay[1] ?? '').toLowerCase()) ?? 0;
    return found(monthDay[3], month, Number(monthDay[2]), monthDay[0]);
  }
  return undefined;
}
