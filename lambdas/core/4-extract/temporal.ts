import * as chrono from 'chrono-node';
import { type DatePrecision, daySpan, SEASON_START } from '../model/date-span.js';
import { addDays, isoWeekOf, mondayOf } from '../model/iso-week.js';
import { ENGLISH_MONTH_ABBREVIATIONS, ENGLISH_MONTHS } from '../model/month-names.js';

export interface EventDate {
  /** `YYYY-MM-DD`, `YYYY-Www`, `YYYY-MM`, `YYYY-<season>` or `YYYY`, as precise as the text allows. */
  readonly date: string;
  readonly precision: DatePrecision;
  /** The words that gave the date, e.g. "on Wednesday". */
  readonly text: string;
  /** The first day the expression can mean, for comparisons. */
  readonly earliest: string;
}

const MONTHS = ENGLISH_MONTHS;
const MONTH_WORDS = [...ENGLISH_MONTHS, ...ENGLISH_MONTH_ABBREVIATIONS].join('|');
const NAMED_DAY = new RegExp(
  `\\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|${MONTH_WORDS})\\b|\\d`,
  'i',
);
/** "until 31 July", "a deadline of 31 July": a date the sentence points ahead to. */
const DEADLINE_CUE = new RegExp(
  `\\b(until|till|deadline|by)\\s+(the\\s+)?(\\d|[a-z]+day\\b|${ENGLISH_MONTHS.join('|')})`,
  'i',
);
const PAST_VERB_BEFORE =
  /\b(\w+ed|said|told|met|came|took|made|gave|began|went|spoke|wrote|held|sent|won|lost|paid|signed|landed|arrived)\b[^.,;]{0,25}$/i;
const PAST_VERB_AFTER =
  /^\s*,?\s*(\w+\s+){0,2}?([\w-]+ed|said|told|met|came|took|made|gave|began|went|spoke|wrote|held|sent|won|lost|paid|signed|landed|arrived|flew)\b/i;
const QUOTED = /["“][^"”]*["”]/g;
const FUTURE_CUE =
  /\b(will|would|may|might|could|expected|plans?|planned|intends?|set to|scheduled|due to|going to|next|hopes? to|aims? to|ready to|prepar\w+ to|soon)\b/i;

/**
 * Resolves the first temporal expression of a sentence relative to the article's publication
 * date (`reference`, ISO). News speaks of the past: a weekday or a day-month without a year is
 * the most recent one unless the sentence looks ahead.
 */
export function resolveEventDate(
  sentence: string,
  reference: string,
  options: { readonly pastOnly?: boolean } = {},
): EventDate | undefined {
  const past = (date: EventDate | undefined) =>
    date && (!options.pastOnly || daysBefore(date, reference) >= -1) ? date : undefined;
  const found =
    past(customExpression(sentence, reference)) ??
    chronoExpressions(sentence, reference).find((date) => past(date));
  return found && withinReference(found, reference);
}

/**
 * A publication known only to its month or year cannot place "yesterday" or "on Tuesday" more
 * finely than that; a date that states its own month or year can.
 */
function withinReference(found: EventDate, reference: string): EventDate {
  if (reference.length >= 10) return found;
  const yearOnly = reference.length === 4;
  const states = yearOnly
    ? /\b(19|20)\d{2}\b/
    : new RegExp(`\\b(${MONTHS.join('|')})\\b|\\b(19|20)\\d{2}\\b`, 'i');
  const finer = yearOnly
    ? found.precision !== 'year'
    : found.precision === 'day' || found.precision === 'week';
  if (!finer || states.test(found.text)) return found;
  const date = reference.slice(0, yearOnly ? 4 : 7);
  return {
    date,
    precision: yearOnly ? 'year' : 'month',
    text: found.text,
    earliest: daySpan(date).first,
  };
}

function customExpression(sentence: string, reference: string): EventDate | undefined {
  const referenceYear = Number(reference.slice(0, 4));
  const monthNames = MONTHS.join('|');
  const lastYear = new RegExp(`\\b(?:in|last)\\s+(${monthNames})\\s+last year\\b`, 'i').exec(
    sentence,
  );
  if (lastYear?.[1]) {
    return monthDate(referenceYear - 1, MONTHS.indexOf(lastYear[1].toLowerCase()) + 1, lastYear[0]);
  }
  const season = /\b(spring|summer|autumn|fall|winter)\s+(?:of\s+)?((?:19|20)\d{2})\b/i.exec(
    sentence,
  );
  if (season?.[1] && season[2]) {
    const name = season[1].toLowerCase() === 'fall' ? 'autumn' : season[1].toLowerCase();
    const start = SEASON_START[name] ?? 1;
    return {
      date: `${season[2]}-${name}`,
      precision: 'season',
      text: season[0],
      earliest: `${season[2]}-${pad(start)}-01`,
    };
  }
  const yearOnly =
    /\b(?:(?:in|by(?: the end of)?|since|during|until|from)\s+|(?:early|mid|late)[-\s])((?:19|20)\d{2})\b(?!\s*[-/])/i.exec(
      sentence,
    );
  if (yearOnly?.[1] && !new RegExp(`(${monthNames})\\s+${yearOnly[1]}`, 'i').test(sentence)) {
    return {
      date: yearOnly[1],
      precision: 'year',
      text: yearOnly[0],
      earliest: `${yearOnly[1]}-01-01`,
    };
  }
  return undefined;
}

/**
 * chrono's expressions, best first: a named day or date beats a relative phrase before it
 * ("earlier this week, on November 25"), and "last week" is a week, not the day seven days back.
 */
function chronoExpressions(sentence: string, reference: string): EventDate[] {
  const instant = new Date(reference);
  const results = chrono.en.casual.parse(
    sentence,
    { instant, timezone: 'UTC' },
    { forwardDate: false },
  );
  const named = results.filter((found) => NAMED_DAY.test(found.text));
  const week = weekExpression(sentence, reference);
  return [
    ...named.map((result) => chronoDate(sentence, result, instant)),
    ...(week ? [week] : []),
    ...results
      .filter((found) => !named.includes(found))
      .map((result) => chronoDate(sentence, result, instant)),
  ];
}

function weekExpression(sentence: string, reference: string): EventDate | undefined {
  const week = /\b(last|previous|this)\s+week\b/i.exec(sentence);
  if (!week?.[1]) return undefined;
  const date = isoWeekOf(addDays(reference, week[1].toLowerCase() === 'this' ? 0 : -7));
  return { date, precision: 'week', text: week[0], earliest: mondayOf(date) };
}

function chronoDate(sentence: string, result: chrono.ParsedResult, instant: Date): EventDate {
  const start = result.start;
  const dayKnown = start.isCertain('day') || start.isCertain('weekday');
  const monthKnown = dayKnown || start.isCertain('month');
  let date = new Date(
    Date.UTC(
      start.get('year') ?? instant.getUTCFullYear(),
      (start.get('month') ?? 1) - 1,
      start.get('day') ?? 1,
    ),
  );
  if (!start.isCertain('year')) {
    date = nearestInTense(
      date,
      instant,
      looksAheadAt(sentence, result.index, result.text.length),
      start.isCertain('month'),
    );
  }
  const text = result.text.trim();
  const year = date.getUTCFullYear();
  if (dayKnown) {
    const day = date.toISOString().slice(0, 10);
    return { date: day, precision: 'day', text, earliest: day };
  }
  if (monthKnown) return monthDate(year, date.getUTCMonth() + 1, text);
  return { date: String(year), precision: 'year', text, earliest: `${year}-01-01` };
}

/**
 * chrono picks the nearest weekday or day-month; news means the last one unless the sentence
 * looks ahead ("on Friday" in a Thursday article is last Friday; "will ... on Friday" is next).
 */
function nearestInTense(date: Date, reference: Date, ahead: boolean, monthGiven: boolean): Date {
  const referenceDay = Date.UTC(
    reference.getUTCFullYear(),
    reference.getUTCMonth(),
    reference.getUTCDate(),
  );
  const shifted = new Date(date);
  if (!monthGiven) {
    if (!ahead && date.getTime() > referenceDay) shifted.setUTCDate(date.getUTCDate() - 7);
    if (ahead && date.getTime() < referenceDay) shifted.setUTCDate(date.getUTCDate() + 7);
    return shifted;
  }
  if (!ahead && date.getTime() > referenceDay + 2 * 86_400_000) {
    shifted.setUTCFullYear(date.getUTCFullYear() - 1);
  }
  if (ahead && date.getTime() < referenceDay) shifted.setUTCFullYear(date.getUTCFullYear() + 1);
  return shifted;
}

function monthDate(year: number, month: number, text: string): EventDate {
  const date = `${year}-${pad(month)}`;
  return { date, precision: 'month', text, earliest: `${date}-01` };
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

/**
 * Whether the date at `index` is looked ahead to: a past verb just before or after it ("said on
 * Tuesday", "on Friday confirmed") says no whatever the rest of the sentence reports; a deadline
 * or a future cue says yes.
 */
function looksAheadAt(sentence: string, index: number, length: number): boolean {
  const before = sentence.slice(Math.max(0, index - 40), index);
  if (PAST_VERB_BEFORE.test(before)) return false;
  if (PAST_VERB_AFTER.test(sentence.slice(index + length))) return false;
  return looksAhead(sentence) || DEADLINE_CUE.test(sentence);
}

/** Days from the event's earliest possible day to the reference date (positive: in the past). */
export function daysBefore(eventDate: EventDate, reference: string): number {
  return (Date.parse(reference.slice(0, 10)) - Date.parse(eventDate.earliest)) / 86_400_000;
}

/** Whether the sentence's own words look ahead; a quote's future ("We will not ask") is the speaker's. */
export function looksAhead(sentence: string): boolean {
  return FUTURE_CUE.test(sentence.replace(QUOTED, ''));
}
