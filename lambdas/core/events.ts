import type { Article, EventRole, EventType, StoryEvent } from './model.js';
import { splitSentences } from './sentences.js';
import type { Story } from './story.js';
import { daysBefore, type EventDate, looksAhead, resolveEventDate } from './temporal.js';
import { TermMatcher } from './term-matcher.js';

/** Trigger words per event type, most specific first: the first type that matches wins. */
const TRIGGERS: readonly (readonly [EventType, RegExp])[] = [
  [
    'PROGRAM_EXCLUSION',
    /\b(remov\w*|suspen\w*|expel\w*|exclu\w*|kick\w* out|unwind\w*|wind\w* down)\b[^.]*\b(program(me)?|F-35)|\b(involvement|participation)\b[^.]*\bimpossible\b/i,
  ],
  ['SANCTION', /\b(impos\w*|slapp\w*|levied|announc\w*)\b[^.]*\bsanctions?\b|\bsanctioned\b/i],
  [
    'DENIAL',
    /\b(den(y|ies|ied)|reject\w*|refut\w*|dismiss\w*|condemn\w*)\b|\b(unfair|unacceptable|a mistake)\b/i,
  ],
  ['WARNING_THREAT', /\b(warn\w*|threat\w*|caution\w*)\b/i],
  ['DELIVERY', /\b(deliver\w*|arriv\w*|shipment\w*|shipped|landed|handed over|unload\w*)\b/i],
  [
    'APPROVAL_RIVAL_OFFER',
    /\b(approv\w*|offer\w*)\b[^.]*\bPatriots?\b|\bPatriots?\b[^.]*\b(approv\w*|offer\w*)\b/i,
  ],
  [
    'PRODUCTION_TECH_TRANSFER',
    /\b(technology transfer|transfer\w* (of )?(the )?technolog\w*|joint production|co-produc\w*|local production)\b/i,
  ],
  ['FINANCING', /\b(loan|credit|deposit|down payment|paid|financ\w*)\b/i],
  // Only the act (signed, agreed) reports an agreement; "the contract" merely mentions one.
  ['AGREEMENT', /\b(sign(s|ed|ing)?|agreed|conclud\w*|inked|struck)\b/i],
  ['TEST_ACTIVATION', /\b(test\w*|activat\w*|deploy\w*|operational|test-fir\w*)\b/i],
  ['NEGOTIATION_MEETING', /\b(talks|met|meeting|negotiat\w*|consultations?|discuss\w*)\b/i],
  [
    'STATEMENT',
    /\b(said|says|told|stated|announc\w*|confirm\w*|declar\w*|insist\w*|called|described)\b/i,
  ],
];

/**
 * "the decision to suspend", "a move to impose": an act named as the object of a reaction, not
 * reported as done. Masked before typing, so the reaction (a denial, a statement) is the event.
 */
const NAMED_ACT = /\b(decision|move|plan|bid|step|threat|attempt|proposal|efforts?)\s+to\s+\w+/gi;

/** "has warned", "had signed": a perfect tense restates what happened before. */
const PERFECT_TENSE = /\b(has|have|had)\s+(been\s+)?\w+(ed|en|wn|ught|id|ne)\b/i;
const AMOUNT =
  /(?:(USD|US\$|\$|€|EUR|£|GBP)\s?(\d[\d.,]*)\s?(billion|million|bn|m)?|(\d[\d.,]*)\s?(billion|million)\s?(dollars|euros|rubles|roubles|lira))/i;
const LEAD_SENTENCES = 3;

/** What the extractor knows of the story: its gazetteer compiled once. */
export class EventExtractor {
  private readonly actors: TermMatcher<string>;
  private readonly people: TermMatcher<{ name: string; actor: string }>;
  private readonly systems: TermMatcher<string>;
  private readonly backgroundDays: number;

  constructor(story: Story) {
    this.actors = new TermMatcher(
      story.entities.actors.flatMap((actor) =>
        [actor.name, ...actor.aliases].map((alias) => [alias, actor.name] as const),
      ),
    );
    this.people = new TermMatcher(
      story.entities.people.flatMap((person) =>
        [person.name, ...person.aliases].map(
          (alias) => [alias, { name: person.name, actor: person.actor }] as const,
        ),
      ),
    );
    this.systems = new TermMatcher(
      story.entities.systems.flatMap((system) =>
        [system.name, ...system.aliases].map((alias) => [alias, system.name] as const),
      ),
    );
    this.backgroundDays = story.digest.backgroundDays;
  }

  /**
   * Dated, typed events of one article, in text order. Deterministic: the same article always
   * yields the same events with the same ids.
   */
  extract(article: Pick<Article, 'id' | 'text' | 'publishedAt' | 'firstSeenAt'>): StoryEvent[] {
    const reference = article.publishedAt ?? article.firstSeenAt;
    const found: Omit<StoryEvent, 'id' | 'articleId'>[] = [];
    let undatedLead = false;
    splitSentences(article.text).forEach((sentence, index) => {
      const typed = sentence.replace(NAMED_ACT, '$1');
      const type = TRIGGERS.find(([, pattern]) => pattern.test(typed))?.[0];
      if (!type) return;
      const people = this.people.values(sentence);
      const actors = [...new Set([...this.actors.values(sentence), ...people.map((p) => p.actor)])];
      const systems = this.systems.values(sentence);
      if (
        actors.length === 0 ||
        (systems.length === 0 && people.length === 0 && actors.length < 2)
      ) {
        return;
      }
      const resolved = resolveEventDate(sentence, reference);
      const role = this.roleOf(sentence, resolved, reference, index);
      undatedLead ||= role === 'new' && !resolved;
      found.push({
        type,
        role,
        date: resolved?.date ?? null,
        precision: resolved?.precision ?? null,
        actors,
        people: people.map((person) => person.name),
        systems,
        amount: amountOf(sentence),
        evidence: sentence,
        confidence: confidenceOf(resolved, actors, systems),
      });
    });
    // A standfirst or headline-style lead ("Turkey says the decision is unfair") restates the
    // article's dated news; only an article with no dated news is dated by its publication.
    const datedNews = found.some((event) => event.role === 'new' && event.date);
    let mainAssigned = false;
    return found.map((event, index) => {
      const dated =
        event.date || datedNews || event.role !== 'new' || !undatedLead
          ? event
          : { ...event, date: reference.slice(0, 10), precision: 'day' as const };
      const isMain = dated.role === 'new' && dated.date !== null && !mainAssigned;
      mainAssigned ||= isMain;
      return {
        ...dated,
        id: `${article.id}#${String(index).padStart(3, '0')}`,
        articleId: article.id,
        role: isMain ? 'main' : dated.role,
      };
    });
  }

  private roleOf(
    sentence: string,
    date: EventDate | undefined,
    reference: string,
    sentenceIndex: number,
  ): EventRole {
    if (date) {
      const age = daysBefore(date, reference);
      if (age < -1) return 'planned';
      return age > this.backgroundDays ? 'background' : 'new';
    }
    if (looksAhead(sentence)) return 'planned';
    // Undated: the lead reports the news; later undated sentences and perfect tenses restate.
    return sentenceIndex < LEAD_SENTENCES && !PERFECT_TENSE.test(sentence) ? 'new' : 'background';
  }
}

function amountOf(sentence: string): string | null {
  const match = AMOUNT.exec(sentence);
  if (!match) return null;
  const [, symbol, value, scale, bareValue, bareScale, currencyWord] = match;
  const currency = normaliseCurrency(symbol ?? currencyWord ?? '');
  const number = (value ?? bareValue ?? '').replace(/,$/, '');
  const magnitude = (scale ?? bareScale ?? '')
    .toLowerCase()
    .replace(/^bn$/, 'billion')
    .replace(/^m$/, 'million');
  return [currency, number, magnitude].filter(Boolean).join(' ');
}

function normaliseCurrency(symbol: string): string {
  const key = symbol.toLowerCase();
  if (['usd', 'us$', '$', 'dollars'].includes(key)) return 'USD';
  if (['€', 'eur', 'euros'].includes(key)) return 'EUR';
  if (['£', 'gbp'].includes(key)) return 'GBP';
  if (['rubles', 'roubles'].includes(key)) return 'RUB';
  if (key === 'lira') return 'TRY';
  return symbol.toUpperCase();
}

function confidenceOf(
  date: EventDate | undefined,
  actors: readonly string[],
  systems: readonly string[],
): number {
  const score =
    0.4 + (date ? 0.3 : 0) + Math.min(actors.length, 2) * 0.1 + (systems.length ? 0.1 : 0);
  return Math.round(Math.min(score, 1) * 100) / 100;
}
