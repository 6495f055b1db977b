import { type EventType, isBaseEventType } from '../model/records.js';
import type { Story } from '../model/story.js';
import type { LanguageCues } from './languages/language-cues.js';
import { TermMatcher } from './term-matcher.js';

/**
 * When a sentence holds cues of several types, which it reports: a reply and a threat are what
 * is said, acts before what surrounds them, the story's own kinds before the base acts, talks
 * and plain sayings last.
 */
const ORDER: readonly EventType[] = [
  'DENIAL',
  'WARNING_THREAT',
  'SANCTION',
  'PROGRAM_EXCLUSION',
  'APPROVAL_RIVAL_OFFER',
  'AGREEMENT',
  'FINANCING',
  'DELIVERY',
  'TEST_ACTIVATION',
  'LEGAL_REGULATORY',
  'INCIDENT',
  'CORPORATE',
  'CONSTRUCTION',
  'PRODUCTION_TECH_TRANSFER',
  'NEGOTIATION_MEETING',
  'STATEMENT',
];
/** Languages that put the verb at the end of the clause: their predicate is the last cue. */
const VERB_LAST: ReadonlySet<string> = new Set(['tr', 'ja', 'fa', 'hi', 'ko']);
/** Said rather than done: a plan or an expectation of one of these is a statement. */
const SAID: ReadonlySet<EventType> = new Set(['DENIAL', 'WARNING_THREAT', 'STATEMENT']);

/** A sentence's type as its cue words tell it. */
export interface CueReading {
  readonly type: EventType;
  /** The sentence looks ahead: an act it names is planned or expected, not done. */
  readonly future: boolean;
}

interface CompiledLanguage {
  readonly types: readonly (readonly [EventType, TermMatcher<true>])[];
  readonly speech: TermMatcher<true>;
  readonly future: TermMatcher<true>;
}

/**
 * Types sentences in any language with cue words: the language's general vocabulary for each
 * base type, the story's own types with their cues, and the story's words some base types need
 * (a rival offer is only an offer of one of the story's rival systems; an exclusion, when the
 * story names its programmes, is from one of them).
 */
export class CueTyper {
  private readonly languages = new Map<string, CompiledLanguage>();
  private readonly storyCues: ReadonlyMap<EventType, TermMatcher<true>>;

  constructor(
    story: Pick<Story, 'events'>,
    private readonly cues: ReadonlyMap<string, LanguageCues>,
  ) {
    this.storyCues = new Map(
      Object.entries(story.events.cues).map(([type, words]) => [type, matcherOf(words ?? [])]),
    );
    for (const [code, language] of cues) {
      const declared = story.events.types.flatMap((type) => {
        const words = type.cues[code];
        return words ? [[type.name, matcherOf(words.map(cueTerm))] as const] : [];
      });
      const base = ORDER.flatMap((type) => {
        const words = isBaseEventType(type) ? language.types[type] : undefined;
        return words?.length ? [[type, matcherOf(words.map(cueTerm))] as const] : [];
      });
      // The story's own kinds come before the base acts, after what is said in reply.
      const replies = base.filter(([type]) => type === 'DENIAL' || type === 'WARNING_THREAT');
      const rest = base.filter(([type]) => type !== 'DENIAL' && type !== 'WARNING_THREAT');
      this.languages.set(code, {
        types: [...replies, ...declared, ...rest],
        speech: matcherOf(language.speech.map(cueTerm)),
        future: matcherOf(language.future.map(cueTerm)),
      });
    }
  }

  /** Whether sentences in this language can be typed. */
  reads(lang: string | undefined): boolean {
    return lang !== undefined && this.languages.has(lang);
  }

  /**
   * The type a sentence reports in language `lang`, if any of its cues say: the cue of the
   * predicate, which comes first in most languages and last in those that put the verb last
   * (Turkish, Japanese, Persian), a verb of saying giving way to what it reports; on the same
   * word, the type first in ORDER. An act said to be coming is a statement.
   */
  typeOf(sentence: string, lang: string): CueReading | undefined {
    const language = this.languages.get(lang);
    if (!language) return undefined;
    const future = language.future.matches(sentence).length > 0;
    const found = language.types.flatMap(([type, matcher], rank) => {
      const needed = this.storyCues.get(type);
      // Rival offers and exclusions are of the story's rivals and programmes: a story that names
      // none has none (a regulator "suspending" flights excludes nobody from a programme).
      if ((type === 'APPROVAL_RIVAL_OFFER' || type === 'PROGRAM_EXCLUSION') && !needed) return [];
      if (needed && needed.matches(sentence).length === 0) return [];
      return matcher.matches(sentence).map((match) => ({ type, index: match.index, rank }));
    });
    // An accident is told as the news, or as the background of everything after it ("after the
    // crash"): any other act a sentence reports is its news.
    const acts = found.filter(
      ({ type }, _, all) =>
        type !== 'STATEMENT' &&
        (type !== 'INCIDENT' ||
          all.every((other) => other.type === 'INCIDENT' || other.type === 'STATEMENT')),
    );
    const verbLast = VERB_LAST.has(lang);
    const [predicate] = (acts.length ? acts : found).sort(
      (a, b) => (verbLast ? b.index - a.index : a.index - b.index) || a.rank - b.rank,
    );
    if (!predicate) {
      return language.speech.matches(sentence).length > 0
        ? { type: 'STATEMENT', future }
        : undefined;
    }
    // "will deliver in July": what is planned is said, not done.
    if (future && !SAID.has(predicate.type)) return { type: 'STATEMENT', future };
    return { type: predicate.type, future };
  }
}

/**
 * A cue matches the start of a word ("teslim" in "teslimat"), but a short one-word cue only the
 * whole word ("no" is not "north", "ne" not "nerede"); Chinese and Japanese cues match anywhere.
 */
export function cueTerm(cue: string): string {
  if (cue.endsWith('*')) return cue;
  return /^\p{L}{1,3}$/u.test(cue) ? cue : `${cue}*`;
}

function matcherOf(words: readonly string[]): TermMatcher<true> {
  return new TermMatcher(words.map((word) => [word, true] as const));
}
