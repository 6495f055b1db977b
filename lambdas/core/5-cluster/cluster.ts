import { detectLanguage } from '../4-extract/language.js';
import { daySpan, spansOverlap } from '../model/date-span.js';
import { addDays } from '../model/iso-week.js';
import type { Development, DevelopmentSource, EventType } from '../model/records.js';
import type { DevelopmentStore } from '../ports/development-store.js';
import { headlineOf } from './developments.js';
import { mentionWords } from './mention-words.js';

/**
 * The story's developments first reported in [from, to): every article's report (a mention) of
 * its main happening, clustered into one development per happening when it is read, so the
 * outcome does not depend on the order the articles were fetched in.
 */
export async function developmentsReported(
  store: Pick<DevelopmentStore, 'developmentsFirstReported'>,
  storyId: string,
  from: string,
  to: string,
): Promise<Development[]> {
  return clusterMentions(await store.developmentsFirstReported(storyId, from, to));
}

/** Speech acts: their speakers tell two of them apart. */
const SPEECH: ReadonlySet<EventType> = new Set(['STATEMENT', 'DENIAL', 'WARNING_THREAT']);
/** Answers (a denial, a rejection) are their own development, linked to what they answer. */
const ANSWERS: ReadonlySet<EventType> = new Set(['DENIAL']);
/**
 * Which type a development takes when its reports disagree and no type has more reports: what
 * was done before what was said about it, a reply before a plain statement.
 */
const PRECEDENCE: readonly EventType[] = [
  'SANCTION',
  'PROGRAM_EXCLUSION',
  'APPROVAL_RIVAL_OFFER',
  'AGREEMENT',
  'FINANCING',
  'DELIVERY',
  'PRODUCTION_TECH_TRANSFER',
  'TEST_ACTIVATION',
  'CONSTRUCTION',
  'LEGAL_REGULATORY',
  'INCIDENT',
  'CORPORATE',
  'NEGOTIATION_MEETING',
  'WARNING_THREAT',
  'DENIAL',
  'STATEMENT',
];
/** Reports of one happening are dated at most this many days apart (time zones, "yesterday"). */
const DAY_TOLERANCE = 1;
/**
 * A report dated only by its publication (no day in its words) may tell a happening of up to
 * this many days before it: outlets report a Friday decision on Monday.
 */
const PUBLICATION_LAG_DAYS = 3;
/** A development's day-dated reports span at most this many days, however they chain. */
const MAX_SPREAD_DAYS = 2;
/** How long after a claim or an act an answer to it is still linked to it. */
const ANSWER_WINDOW_DAYS = 14;

/**
 * How much two reports' words and names (each weighted by its rarity among the reports read)
 * must share to be one happening: less when they are typed alike, more when one is a statement
 * about what the other reports as done, most when they are typed as different acts (an extractor
 * misreading one of them).
 */
const SAME_TYPE = 0;
const SAME_SAYING = 0.05;
const SAID_AND_DONE = 0;
const SAID_AND_DONE_APART = 0.15;
const OTHER_TYPE = 0.1;
/**
 * A state named by fewer than this share of the reports read is distinctive; the states most
 * reports name (the story's own) tell nothing apart.
 */
const DISTINCTIVE_SHARE = 0.25;

interface Mention {
  readonly development: Development;
  /** Its words and, as "@…", the states, people, systems and sums it names. */
  readonly words: ReadonlySet<string>;
  readonly first: string;
  readonly last: string;
  readonly dayDated: boolean;
  /** The language its words are in, when it can be told. */
  readonly language: string | undefined;
}

/**
 * Clusters mentions into developments. Two mentions are one happening when their dates agree
 * (within a day, or within each other's span for "last week", "in July"), neither answers what
 * the other says, no named speakers tell two statements apart, and their words (weighted by
 * how rare they are among all the mentions) overlap enough, or somewhat with agreeing types
 * and the same people, states, systems or sums; told in two languages, a system, person or sum
 * in common on the same day is enough. Links are merged transitively while the
 * development's dated reports stay within a few days of each other. A development takes its
 * type by most reports (PRECEDENCE on a tie), the day most of its reports give (the earliest on
 * a tie), the wording and id of its earliest report, and every source once. Then each answer is
 * linked to the claim or act it answers.
 */
export function clusterMentions(developments: readonly Development[]): Development[] {
  const ordered = [...developments].sort(
    (a, b) => a.firstReportedAt.localeCompare(b.firstReportedAt) || a.id.localeCompare(b.id),
  );
  const mentions = ordered.map(toMention);
  const rarity = rarityOf(mentions);
  const parent = mentions.map((_, index) => index);
  const root = (index: number): number => {
    let at = index;
    while (parent[at] !== at) at = parent[at] ?? at;
    return at;
  };
  // The days the text-dated reports of each cluster give: they stay within MAX_SPREAD_DAYS.
  const spans = mentions.map((mention): Span | undefined =>
    mention.dayDated && mention.development.datedBy !== 'publication'
      ? { first: mention.last, last: mention.last }
      : undefined,
  );
  const agents = mentions.map((mention) => {
    const agent = distinctiveAgent(mention, rarity);
    return new Set(agent ? [agent] : []);
  });
  const byDay = [...mentions.keys()].sort((a, b) =>
    (mentions[a]?.first ?? '').localeCompare(mentions[b]?.first ?? ''),
  );
  for (const [position, i] of byDay.entries()) {
    const a = mentions[i] as Mention;
    for (const j of byDay.slice(position + 1)) {
      const b = mentions[j] as Mention;
      if (a.dayDated && b.dayDated && daysBetween(a.last, b.first) > DAY_TOLERANCE) break;
      if (!sameHappening(a, b, rarity)) continue;
      const [ra, rb] = [root(i), root(j)];
      if (ra === rb) continue;
      // Whole clusters, not only this pair, must agree on who acted: no chain of reports that
      // each share a little joins China's grounding to Indonesia's.
      const acting = new Set([...(agents[ra] ?? []), ...(agents[rb] ?? [])]);
      if (acting.size > 1) continue;
      const [sa, sb] = [spans[ra], spans[rb]];
      const merged =
        sa && sb ? { first: min(sa.first, sb.first), last: max(sa.last, sb.last) } : (sa ?? sb);
      if (merged && daysBetween(merged.first, merged.last) > MAX_SPREAD_DAYS) continue;
      const [keep, drop] = ra < rb ? [ra, rb] : [rb, ra];
      parent[drop] = keep;
      spans[keep] = merged;
      agents[keep] = acting;
    }
  }
  const groups = new Map<number, Development[]>();
  for (const [index, mention] of mentions.entries()) {
    const key = root(index);
    groups.set(key, [...(groups.get(key) ?? []), mention.development]);
  }
  return linkAnswers([...groups.values()].map(combine), rarity);
}

interface Span {
  readonly first: string;
  readonly last: string;
}

function toMention(development: Development): Mention {
  const span = daySpan(development.date);
  const lag = development.datedBy === 'publication' ? PUBLICATION_LAG_DAYS : 0;
  const title = development.sources.find((source) => source.aboutIt)?.title ?? '';
  return {
    development,
    words: new Set([
      ...mentionWords(`${title}\n${development.summary}`),
      ...development.actors.map((actor) => `@actor:${actor}`),
      ...development.people.map((person) => `@person:${person}`),
      ...development.systems.map((system) => `@system:${system}`),
      ...(development.amount ? [`@amount:${development.amount}`] : []),
    ]),
    first: addDays(span.first, -lag),
    last: span.last,
    dayDated: development.precision === 'day',
    language: detectLanguage(`${title}\n${development.summary}`),
  };
}

/** How rare each word is among the mentions read: words most of them share say little. */
interface Rarity {
  /** Its weight in an overlap: the rarer, the heavier. */
  weight(word: string): number;
  /** The share of the mentions that have it. */
  share(word: string): number;
}

function rarityOf(mentions: readonly Mention[]): Rarity {
  const counts = new Map<string, number>();
  for (const mention of mentions) {
    for (const word of mention.words) counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  const total = Math.max(mentions.length, 1);
  return {
    weight: (word) => Math.log((total + 1) / (counts.get(word) ?? 1)),
    share: (word) => (counts.get(word) ?? 0) / total,
  };
}

function sameHappening(a: Mention, b: Mention, rarity: Rarity): boolean {
  const [x, y] = [a.development, b.development];
  if (!datesAgree(a, b)) return false;
  if (ANSWERS.has(x.type) !== ANSWERS.has(y.type)) return false;
  if (SPEECH.has(x.type) && SPEECH.has(y.type) && x.people.length && y.people.length) {
    if (!x.people.some((person) => y.people.includes(person))) return false;
  }
  if (distinctiveActorsDiffer(a, b, rarity)) return false;
  if (a.language && b.language && a.language !== b.language && sameNamesSameDay(x, y)) return true;
  const shared = weightedOverlap(a.words, b.words, rarity);
  if (x.type === y.type && !SPEECH.has(x.type)) return shared >= SAME_TYPE;
  // Many say things on one day: the same words are one saying when the same speaker says them.
  if (x.type === y.type) {
    return sharesSpeaker(x, y) || weightedOverlap(a.words, b.words, rarity, true) >= SAME_SAYING;
  }
  // A saying about an act is that act told by someone, on the same day; a day apart, it must
  // share its words too.
  if (SPEECH.has(x.type) || SPEECH.has(y.type)) {
    return shared >= (x.date === y.date ? SAID_AND_DONE : SAID_AND_DONE_APART);
  }
  return shared >= OTHER_TYPE;
}

/**
 * Reports in two languages share few words, and a type read from translated cues is the least
 * sure part of them: they are one happening when told of the same day with a system, person or
 * sum in common.
 */
function sameNamesSameDay(x: Development, y: Development): boolean {
  return (
    x.date === y.date &&
    (x.systems.some((system) => y.systems.includes(system)) ||
      sharesSpeaker(x, y) ||
      (x.amount !== undefined && x.amount === y.amount))
  );
}

function sharesSpeaker(x: Development, y: Development): boolean {
  return x.people.some((person) => y.people.includes(person));
}

/**
 * The state each report names first (its headline's or sentence's subject, as a rule: who
 * acted or spoke), when it is distinctive: two reports whose distinctive first states differ
 * tell different happenings (China grounds the aircraft; Indonesia grounds it).
 */
function distinctiveAgent(mention: Mention, rarity: Rarity): string | undefined {
  const [first] = mention.development.actors;
  return first && rarity.share(`@actor:${first}`) < DISTINCTIVE_SHARE ? first : undefined;
}

function distinctiveActorsDiffer(a: Mention, b: Mention, rarity: Rarity): boolean {
  const [left, right] = [distinctiveAgent(a, rarity), distinctiveAgent(b, rarity)];
  if (left !== undefined && right !== undefined) return left !== right;
  // Neither names a distinctive state first: they still differ when the distinctive states they
  // name have nothing in common.
  const distinctive = (mention: Mention) =>
    mention.development.actors.filter(
      (actor) => rarity.share(`@actor:${actor}`) < DISTINCTIVE_SHARE,
    );
  const [these, those] = [distinctive(a), distinctive(b)];
  return these.length > 0 && those.length > 0 && !these.some((actor) => those.includes(actor));
}

function datesAgree(a: Mention, b: Mention): boolean {
  if (a.dayDated && b.dayDated) {
    return (
      daysBetween(a.last, b.first) <= DAY_TOLERANCE && daysBetween(b.last, a.first) <= DAY_TOLERANCE
    );
  }
  return spansOverlap(a.development.date, b.development.date);
}

/** The rarity-weighted share of all their words two sets share; `wordsOnly` leaves names out. */
function weightedOverlap(
  a: ReadonlySet<string>,
  b: ReadonlySet<string>,
  rarity: Rarity,
  wordsOnly = false,
): number {
  let shared = 0;
  let all = 0;
  for (const word of new Set([...a, ...b])) {
    if (wordsOnly && word.startsWith('@')) continue;
    const weight = rarity.weight(word);
    all += weight;
    if (a.has(word) && b.has(word)) shared += weight;
  }
  return all === 0 ? 0 : shared / all;
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
  const type = typeOf(group);
  const date = dateOf(group);
  return {
    ...first,
    type,
    date: date.date,
    precision: date.precision,
    actors: union((development) => development.actors),
    people: union((development) => development.people),
    systems: union((development) => development.systems),
    amount: group.find((development) => development.amount)?.amount,
    summary: (group.find((development) => development.type === type) ?? first).summary,
    sources: [...sources.values()].sort((a, b) =>
      (a.publishedAt ?? '').localeCompare(b.publishedAt ?? ''),
    ),
  };
}

function typeOf(group: readonly Development[]): EventType {
  const votes = new Map<EventType, number>();
  for (const development of group) {
    votes.set(development.type, (votes.get(development.type) ?? 0) + 1);
  }
  const rank = (type: EventType) => {
    const at = PRECEDENCE.indexOf(type);
    return at < 0 ? -1 : at;
  };
  return [...votes].sort(([a, x], [b, y]) => y - x || rank(a) - rank(b))[0]?.[0] ?? 'STATEMENT';
}

/**
 * The day most reports give in their own words (the earliest on a tie), else the day most give
 * by their publication; else the earliest report's date.
 */
function dateOf(group: readonly Development[]): Pick<Development, 'date' | 'precision'> {
  const days = new Map<string, number>();
  const fromText = group.filter((development) => development.datedBy !== 'publication');
  for (const development of fromText.length ? fromText : group) {
    if (development.precision === 'day') {
      days.set(development.date, (days.get(development.date) ?? 0) + 1);
    }
  }
  const [day] = [...days].sort(([a, x], [b, y]) => y - x || a.localeCompare(b))[0] ?? [];
  if (day) return { date: day, precision: 'day' };
  const [first] = group as [Development, ...Development[]];
  return { date: first.date, precision: first.precision };
}

/**
 * An answer (a denial, a rejection) is linked to the claim or act it answers: the closest before
 * it (up to two weeks) that names the same states or systems, the most alike in words first.
 */
function linkAnswers(developments: readonly Development[], rarity: Rarity): Development[] {
  return developments.map((answer) => {
    if (!ANSWERS.has(answer.type)) return answer;
    const words = new Set(mentionWords(`${headlineOf(answer)}\n${answer.summary}`));
    const answered = developments
      .filter((claim) => {
        if (ANSWERS.has(claim.type)) return false;
        const gap = daysBetween(daySpan(claim.date).first, daySpan(answer.date).first);
        return (
          gap >= 0 &&
          gap <= ANSWER_WINDOW_DAYS &&
          claim.firstReportedAt <= answer.firstReportedAt &&
          (overlaps(claim.actors, answer.actors) || overlaps(claim.systems, answer.systems))
        );
      })
      .map((claim) => ({
        claim,
        alike: weightedOverlap(
          words,
          new Set(mentionWords(`${headlineOf(claim)}\n${claim.summary}`)),
          rarity,
        ),
      }))
      .sort(
        (a, b) =>
          b.alike - a.alike ||
          b.claim.date.localeCompare(a.claim.date) ||
          a.claim.firstReportedAt.localeCompare(b.claim.firstReportedAt),
      )[0]?.claim;
    if (!answered) return answer;
    const { id, type, date, summary } = answered;
    return { ...answer, answers: { id, type, date, summary, headline: headlineOf(answered) } };
  });
}

function overlaps(a: readonly string[], b: readonly string[]): boolean {
  return a.some((value) => b.includes(value));
}

function daysBetween(from: string, to: string): number {
  return (Date.parse(to) - Date.parse(from)) / 86_400_000;
}

function min(a: string, b: string): string {
  return a < b ? a : b;
}

function max(a: string, b: string): string {
  return a > b ? a : b;
}
