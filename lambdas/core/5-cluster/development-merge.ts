import { spansOverlap } from '../model/date-span.js';
import type { Development, DevelopmentSource, EventType } from '../model/records.js';
import type { DevelopmentStore } from '../ports/development-store.js';
import { headlineOf } from './developments.js';

/** Speech acts: outlets often type the same words as a statement, a denial or a warning. */
const SPEECH: ReadonlySet<EventType> = new Set(['STATEMENT', 'DENIAL', 'WARNING_THREAT']);
/** Words that carry no meaning of their own when comparing two reports' wording. */
const STOP_WORDS = new Set(
  'a an and are as at be by for from had has have he in is it its of on or said says that the this to was were which will with would'.split(
    ' ',
  ),
);
/** Two reports' wording overlaps this much (word pairs shared / all) when they tell one happening. */
const SAME_WORDING = 0.15;

/**
 * Merges stored developments that are one happening under different keys: outlets type,
 * attribute and date the same happening differently ("The Pentagon said it was suspending
 * Turkey…" and "The United States suspended Turkey…"). Two developments are one when their
 * dates agree within their precision, no named speaker tells them apart, they share actors,
 * and they share a person or their wording (a statement may be the act it announces) or, for
 * acts of one type, a system. Then each denial is linked to the claim or act it answers.
 * Deterministic whatever the input order: a merged development keeps the id, type, date and
 * summary of its earliest report and lists every source once.
 */
/**
 * The story's developments first reported in [from, to), one per happening: what the fetchers
 * stored under different keys for one happening is merged here, when it is read.
 */
export async function developmentsReported(
  store: Pick<DevelopmentStore, 'developmentsFirstReported'>,
  storyId: string,
  from: string,
  to: string,
): Promise<Development[]> {
  return mergeDevelopments(await store.developmentsFirstReported(storyId, from, to));
}

export function mergeDevelopments(developments: readonly Development[]): Development[] {
  const ordered = [...developments].sort(
    (a, b) => a.firstReportedAt.localeCompare(b.firstReportedAt) || a.id.localeCompare(b.id),
  );
  // Each development joins the first group whose earliest report it matches: matching the
  // group's first report, not any member, keeps chains (16 July ~ 17 July ~ 18 July) apart.
  const groups: Development[][] = [];
  for (const development of ordered) {
    const group = groups.find(([first]) => first && sameHappening(first, development));
    if (group) group.push(development);
    else groups.push([development]);
  }
  return linkDenials(groups.map(combine));
}

/** How long after a claim its denial still answers it. */
const DENIAL_WINDOW_DAYS = 14;

/**
 * A denial answers the latest claim or act before it (within two weeks) that shares its
 * actors and systems: "Turkey denies a new S-400 agreement" answers "Shugayev says the
 * second-batch agreement is signed".
 */
function linkDenials(developments: readonly Development[]): Development[] {
  return developments.map((denial) => {
    if (denial.type !== 'DENIAL') return denial;
    const answered = developments
      .filter(
        (claim) =>
          claim.type !== 'DENIAL' &&
          daysBetween(claim.date, denial.date) >= 0 &&
          daysBetween(claim.date, denial.date) <= DENIAL_WINDOW_DAYS &&
          overlaps(claim.actors, denial.actors) &&
          overlaps(claim.systems, denial.systems),
      )
      .sort(
        (a, b) =>
          b.date.localeCompare(a.date) || a.firstReportedAt.localeCompare(b.firstReportedAt),
      )[0];
    if (!answered) return denial;
    const { id, type, date, summary } = answered;
    return { ...denial, answers: { id, type, date, summary, headline: headlineOf(answered) } };
  });
}

/** Days from the first date to the second, each taken at its earliest day. */
function daysBetween(from: string, to: string): number {
  const day = (date: string) =>
    Date.parse(
      /^\d{4}$/.test(date)
        ? `${date}-01-01`
        : /^\d{4}-\d{2}$/.test(date)
          ? `${date}-01`
          : date.slice(0, 10),
    );
  return (day(to) - day(from)) / 86_400_000;
}

export function sameHappening(a: Development, b: Development): boolean {
  if (!datesAgree(a, b)) return false;
  const people = [a.people, b.people] as const;
  if (people[0].length && people[1].length && !overlaps(people[0], people[1])) return false;
  if (!overlaps(a.actors, b.actors)) return false;
  const wording = similarity(a.summary, b.summary);
  if (overlaps(people[0], people[1]) || wording >= SAME_WORDING) {
    return a.type === b.type || SPEECH.has(a.type) || SPEECH.has(b.type);
  }
  // Every report of the story names its systems: shared systems tell one happening apart only
  // for acts (a delivery, a test), not for what is said about them.
  return a.type === b.type && !SPEECH.has(a.type) && overlaps(a.systems, b.systems);
}

/** Same day (a day apart at most, as time zones shift it), or spans that overlap ("last week", "July"). */
function datesAgree(a: Development, b: Development): boolean {
  if (a.precision === 'day' && b.precision === 'day') {
    return Math.abs(Date.parse(a.date) - Date.parse(b.date)) <= 86_400_000;
  }
  return spansOverlap(a.date, b.date);
}

function combine(group: readonly Development[]): Development {
  const [first] = group as [Development, ...Development[]];
  const sources = new Map<string, DevelopmentSource>();
  for (const development of group) {
    for (const source of development.sources) {
      if (!sources.has(source.articleId)) sources.set(source.articleId, source);
    }
  }
  const union = (pick: (development: Development) => readonly string[]) => [
    ...new Set(group.flatMap(pick)),
  ];
  return {
    ...first,
    actors: union((development) => development.actors),
    people: union((development) => development.people),
    systems: union((development) => development.systems),
    ...amountOf(group),
    sources: [...sources.values()].sort((a, b) =>
      (a.publishedAt ?? '').localeCompare(b.publishedAt ?? ''),
    ),
  };
}

function amountOf(group: readonly Development[]): Pick<Development, 'amount'> {
  const amount = group.find((development) => development.amount)?.amount;
  return amount ? { amount } : {};
}

function overlaps(a: readonly string[], b: readonly string[]): boolean {
  return a.some((value) => b.includes(value));
}

/** Shared pairs of neighbouring content words over all such pairs of the two texts. */
function similarity(a: string, b: string): number {
  const pairs = (text: string) => {
    const words = (text.toLowerCase().match(/[\p{L}\p{N}-]+/gu) ?? []).filter(
      (word) => word.length > 2 && !STOP_WORDS.has(word),
    );
    return new Set(words.slice(1).map((word, index) => `${words[index]} ${word}`));
  };
  const [left, right] = [pairs(a), pairs(b)];
  const shared = [...left].filter((pair) => right.has(pair)).length;
  const all = new Set([...left, ...right]).size;
  return all === 0 ? 0 : shared / all;
}
