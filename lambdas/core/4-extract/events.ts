import type { Article, EventRole, EventType, StoryEvent } from '../model/records.js';
import type { Story } from '../model/story.js';
import { CueTyper } from './cue-typer.js';
import { DayWords } from './day-words.js';
import { EnglishTyper } from './event-type.js';
import { EXTRACTOR_VERSION } from './extractor-version.js';
import { LANGUAGE_CUES } from './languages/index.js';
import type { LanguageCues } from './languages/language-cues.js';
import { splitSentences } from './sentences.js';
import { daysBefore, type EventDate, looksAhead, resolveEventDate } from './temporal.js';
import { TermMatcher } from './term-matcher.js';

/** An event as a sentence yields it, before it is numbered and stamped with its article. */
type FoundEvent = Omit<StoryEvent, 'id' | 'articleId' | 'extractorVersion'> & {
  /** Told in the article's lead (its first sentences). */
  readonly lead: boolean;
};

/** "had signed", "has long warned", "earlier … said": a sentence that restates older news. */
const RESTATES =
  /\b(had|has|have)\s+(also\s+|long\s+|already\s+|repeatedly\s+)?(been\s+)?\w+(ed|en|wn|ught|id|ne)\b|\b(earlier|previously|already|for years|long|since|last year|in the past)\b/i;
/** "had signed": the past perfect restates what happened before (unlike the news's "has confirmed"). */
const PAST_PERFECT = /\bhad\s+(been\s+)?\w+(ed|en|wn|ught|id|ne)\b/i;
const AMOUNT =
  /(?:(USD|US\$|\$|€|EUR|£|GBP)\s?(\d[\d.,]{0,20})\s?(billion|million|bn|m)?|(\d[\d.,]{0,20})\s?(billion|million)\s?(dollars|euros|rubles|roubles|lira))/i;
const LEAD_SENTENCES = 3;
/** A headline's act still to come: "to deliver", "will sign", "set to begin", "may get". */
const HEADLINE_AHEAD =
  /\b(will|would|may|might|could|to|set to|plans? to|expected to|due to|ready to)\s+(be\s+)?(soon\s+)?(begin|start|deliver|supply|ship|send|sign|buy|purchase|acquire|get|receive|deploy|activate|test|impose|sanction|remove|exclude|suspend|approve|offer|pay|produce|return|resume|lift|halt)\w*/i;
const SPEECH_ACTS: ReadonlySet<EventType> = new Set(['STATEMENT', 'DENIAL', 'WARNING_THREAT']);

/** What the extractor knows of the story: its gazetteer compiled once. */
export class EventExtractor {
  private readonly actors: TermMatcher<string>;
  private readonly people: TermMatcher<Speaker>;
  private readonly systems: TermMatcher<string>;
  private readonly backgroundDays: number;
  private readonly english: EnglishTyper;
  private readonly cues: CueTyper;
  private readonly days: DayWords;

  constructor(story: Story, languages: ReadonlyMap<string, LanguageCues> = LANGUAGE_CUES) {
    this.english = new EnglishTyper(story.events);
    this.cues = new CueTyper(story, languages);
    this.days = new DayWords(languages);
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
  extract(article: ExtractableArticle): StoryEvent[] {
    // The day the page shows, not its UTC instant's: "yesterday" in a paper of 01:00+03:00 on
    // 12 July is 11 July.
    const reference = article.publishedDay ?? article.publishedAt ?? article.firstSeenAt;
    if (!isEnglish(article)) return this.mainInOtherLanguage(article, reference);
    const found: FoundEvent[] = [];
    let speaker: Speaker | undefined;
    sentencesOf(article).forEach((sentence, index) => {
      const named = this.people.values(sentence);
      // "…," he said: a quote or a pronoun's words are the last named speaker's.
      const people =
        named.length === 0 && speaker && UNNAMED_SPEAKER.test(sentence) ? [speaker] : named;
      if (named.length === 1) speaker = named[0];
      const type = this.english.typeOf(sentence);
      const event = type && this.eventOf(sentence, type, reference, index, people);
      if (event) found.push(event);
    });
    const main = this.mainEvent(article.title ?? '', found, reference);
    // Other undated news of the lead is told on the main happening's occasion: it takes its date.
    const occasion = main.dated ?? main.fromHeadline ?? publicationDate(reference);
    const mainType = (main.event ?? main.fromHeadline)?.type;
    const events = found.flatMap((event) => {
      if (event === main.event) return [{ ...main.event, ...main.dated, role: 'main' as const }];
      if (event.date || event.role !== 'new') return [event];
      // An undated sentence of the lead that tells the main happening's kind restates it.
      if (event.type === mainType) return [];
      return [{ ...event, date: occasion.date, precision: occasion.precision }];
    });
    const withIds = events.map(({ lead: _lead, ...event }, index) => ({
      ...event,
      id: `${article.id}#${String(index).padStart(3, '0')}`,
      articleId: article.id,
      extractorVersion: EXTRACTOR_VERSION,
    }));
    const { lead: _lead, ...fromHeadline } = main.fromHeadline ?? { lead: false };
    return main.fromHeadline
      ? [
          {
            ...(fromHeadline as Omit<FoundEvent, 'lead'>),
            id: `${article.id}#hed`,
            articleId: article.id,
            extractorVersion: EXTRACTOR_VERSION,
          },
          ...withIds,
        ]
      : withIds;
  }

  /**
   * An article in another language is read for its main happening only, from its headline and
   * lead: the first of them whose cue words tell a type gives it (a plan said is a statement),
   * the first that names a day dates it (else the publication day), and the lead names its
   * states, people and systems through the story's gazetteer, which names them in every
   * language the story is reported in.
   */
  private mainInOtherLanguage(article: ExtractableArticle, reference: string): StoryEvent[] {
    const lang = article.lang?.slice(0, 2).toLowerCase();
    if (!lang || !this.cues.reads(lang)) return [];
    const lead = [article.title ?? '', ...sentencesOf(article).slice(0, LEAD_SENTENCES)]
      .map((sentence) => sentence.trim())
      .filter(Boolean);
    const typed = lead
      .map((sentence) => ({ sentence, reading: this.cues.typeOf(sentence, lang) }))
      .find(({ reading }) => reading !== undefined);
    if (!typed?.reading) return [];
    const text = lead.join('\n');
    const people = this.people.values(text);
    const actors = [...new Set([...this.actors.values(text), ...people.map((p) => p.actor)])];
    const systems = this.systems.values(text);
    if (actors.length === 0 || (systems.length === 0 && people.length === 0 && actors.length < 2)) {
      return [];
    }
    const named = lead
      .map((sentence) => this.days.resolve(sentence, reference, lang))
      .find((date) => date !== undefined && date.earliest <= reference.slice(0, 10));
    const date = named ?? { ...publicationDate(reference), earliest: reference.slice(0, 10) };
    const age = named ? daysBefore(named, reference) : 0;
    return [
      {
        id: `${article.id}#000`,
        articleId: article.id,
        extractorVersion: EXTRACTOR_VERSION,
        type: typed.reading.type,
        role: age > this.backgroundDays ? 'background' : 'main',
        date: date.date,
        precision: date.precision,
        actors,
        people: people.map((person) => person.name),
        systems,
        amount: amountOf(text),
        evidence: typed.sentence,
        confidence: confidenceOf(named, actors, systems),
        datedBy: named ? 'text' : 'publication',
      },
    ];
  }

  /** Why an article tells no development, for the operator reading `extract` or the logs. */
  whyNoEvents(article: ExtractableArticle, events: readonly StoryEvent[] = []): string {
    const sentences = sentencesOf(article);
    if (sentences.length === 0) return 'no text';
    if (!isEnglish(article) && !this.cues.reads(article.lang?.slice(0, 2).toLowerCase())) {
      return `written in ${article.lang ?? 'an unknown language'}, which the extractor does not read`;
    }
    if (events.length > 0) {
      return events.every((event) => event.role === 'background' || event.role === 'planned')
        ? 'only older happenings and plans: nothing new'
        : 'no dated happening the article is about';
    }
    if (!sentences.some((sentence) => this.actors.values(sentence).length > 0)) {
      return "no sentence names the story's actors";
    }
    if (!sentences.some((sentence) => this.english.typeOf(sentence))) {
      return 'no sentence reports an act of the event taxonomy';
    }
    return "no sentence reports an act of the taxonomy with the story's actors and systems";
  }

  /** An event for a sentence that names the story's actors (and a system or a person). */
  private eventOf(
    sentence: string,
    type: EventType,
    reference: string,
    index: number,
    people: readonly Speaker[] = this.people.values(sentence),
    headline = false,
  ): FoundEvent | undefined {
    const actors = [...new Set([...this.actors.values(sentence), ...people.map((p) => p.actor)])];
    const systems = this.systems.values(sentence);
    // A sentence must name who did it and to what; a headline, which the article is about,
    // needs only to name one of the story's states or systems ("Boeing reduces 737 production").
    const named = headline
      ? actors.length + systems.length > 0
      : actors.length > 0 && (systems.length > 0 || people.length > 0 || actors.length >= 2);
    if (!named) return undefined;
    // A statement is dated by its saying: "said on Friday that Turkey has until July 31".
    const speech = SPEECH_ACTS.has(type);
    const resolved = resolveEventDate(sentence, reference, { pastOnly: speech });
    // An undated sentence past the lead is a detail of the article's happening (a quote, a
    // circumstance) unless it says it restates something older.
    if (!resolved && index >= LEAD_SENTENCES && !RESTATES.test(sentence) && !looksAhead(sentence)) {
      return undefined;
    }
    return {
      type,
      role: this.roleOf(sentence, resolved, reference, index, speech),
      date: resolved?.date ?? null,
      precision: resolved?.precision ?? null,
      actors,
      people: people.map((person) => person.name),
      systems,
      amount: amountOf(sentence),
      evidence: sentence,
      confidence: confidenceOf(resolved, actors, systems),
      lead: index < LEAD_SENTENCES,
    };
  }

  /**
   * The happening the article is about: the headline says what it is (its type), the lead
   * tells it. The first (dated) news event of the headline's type is the main one; when the text has
   * none, the headline itself is. Without a typed headline, the first dated news event is. An
   * undated main event takes the date of a dated event of its type, else the publication's.
   */
  private mainEvent(
    title: string,
    found: readonly FoundEvent[],
    reference: string,
  ): {
    event?: FoundEvent;
    dated?: Pick<StoryEvent, 'date' | 'precision'>;
    fromHeadline?: FoundEvent;
  } {
    const news = found.filter((event) => event.role === 'new');
    const headline = this.headlineTypeOf(title);
    // "White House: Turkey's purchase ends its F-35 role": a speaker's headline that names no
    // act of its own tells what the lead reports done, when it reports an act.
    const [first] = news;
    const leadAct = first?.lead && first.date && !SPEECH_ACTS.has(first.type) ? first : undefined;
    const headlineType = headline?.bySpeaker && leadAct ? leadAct.type : headline?.type;
    const dateOf = (event: FoundEvent) => {
      const dated = event.date
        ? event
        : news.find((other) => other.type === event.type && other.date);
      return dated
        ? { date: dated.date, precision: dated.precision, datedBy: 'text' as const }
        : { ...publicationDate(reference), datedBy: 'publication' as const };
    };
    if (headlineType) {
      // The dated lead beats an undated standfirst of the same happening.
      const ofType = news.filter((candidate) => candidate.type === headlineType);
      const event = ofType.find((candidate) => candidate.date) ?? ofType[0];
      if (event) return { event, dated: dateOf(event) };
      const fromTitle = this.eventOf(title, headlineType, reference, 0, undefined, true);
      if (fromTitle && fromTitle.role !== 'planned' && fromTitle.role !== 'background') {
        return { fromHeadline: { ...fromTitle, ...dateOf(fromTitle), role: 'main' } };
      }
    }
    const event = news.find((candidate) => candidate.date) ?? news[0];
    if (event) return { event, dated: dateOf(event) };
    // Nothing done yet: a plan the lead announces is the news, as a statement of whoever
    // announced it, dated by the announcement.
    const announced = found.find((candidate) => candidate.role === 'planned' && candidate.lead);
    if (!announced) return {};
    return {
      fromHeadline: {
        ...announced,
        type: 'STATEMENT',
        role: 'main',
        ...(this.saidOn(announced.evidence, reference) ?? {
          ...publicationDate(reference),
          datedBy: 'publication' as const,
        }),
      },
    };
  }

  /** The day a sentence says something was said on ("said on Friday"), if it names a past one. */
  private saidOn(
    sentence: string,
    reference: string,
  ): Pick<StoryEvent, 'date' | 'precision' | 'datedBy'> | undefined {
    const said = resolveEventDate(sentence, reference, { pastOnly: true });
    return said && daysBefore(said, reference) >= 0 && said.precision === 'day'
      ? { date: said.date, precision: said.precision, datedBy: 'text' }
      : undefined;
  }

  /** "Kremlin spokesman: Russia presses ahead…": a headline led by a speaker reports a statement. */
  private headlineTypeOf(title: string): { type: EventType; bySpeaker: boolean } | undefined {
    const speaker = /^([^:]{3,60}):\s/.exec(title)?.[1] ?? '';
    const speaks = this.people.values(speaker).length > 0 || this.actors.values(speaker).length > 0;
    const typed = this.english.typeOf(title);
    if (!typed) return speaks ? { type: 'STATEMENT', bySpeaker: true } : undefined;
    // "Russia to deliver S-400s in July": an act a headline announces for later is a saying.
    const ahead = !SPEECH_ACTS.has(typed) && HEADLINE_AHEAD.test(title);
    return { type: ahead ? 'STATEMENT' : typed, bySpeaker: false };
  }

  private roleOf(
    sentence: string,
    date: EventDate | undefined,
    reference: string,
    sentenceIndex: number,
    speech: boolean,
  ): EventRole {
    // What a statement looks ahead to is its content; the saying itself has happened. An act
    // the sentence's own words put ahead ("will begin tomorrow") is planned, however dated.
    if (!speech && looksAhead(sentence)) return 'planned';
    if (date) {
      const age = daysBefore(date, reference);
      // "tomorrow" is ahead whatever the hour; otherwise a day ahead may be a time zone.
      if (age < -1 || (age < 0 && /\btomorrow\b/i.test(sentence))) return 'planned';
      return age > this.backgroundDays ? 'background' : 'new';
    }
    // Undated: the lead reports the news; later undated sentences and perfect tenses restate.
    return sentenceIndex < LEAD_SENTENCES && !PAST_PERFECT.test(sentence) ? 'new' : 'background';
  }
}

interface Speaker {
  readonly name: string;
  readonly actor: string;
}

/** "…," he said; "…," she told reporters; a sentence that is only a quote. */
const UNNAMED_SPEAKER =
  /\b(he|she|they)\s+(said|says|told|tells|added|adds|stressed|noted|insisted|warned)\b|^["“][^"”]+["”][.!?]?$/i;

export type ExtractableArticle = Pick<Article, 'id' | 'text' | 'publishedAt' | 'firstSeenAt'> &
  Partial<Pick<Article, 'title' | 'lang' | 'publishedDay'>>;

const ENGLISH_WORDS =
  /(?<![\p{L}\p{N}])(the|and|of|to|in|on|that|said|with|for|was|is)(?![\p{L}\p{N}])/giu;

/**
 * Events are read from an article's first 200,000 characters: four times the longest main text
 * of the 401 reference pages in ../shared/eval-data (46,774). A longer text is a page dump
 * rather than an article, and its news is in its first part; the cap bounds the cost.
 */
const MAX_ARTICLE_CHARS = 200_000;

function sentencesOf(article: ExtractableArticle): string[] {
  return splitSentences(article.text.slice(0, MAX_ARTICLE_CHARS));
}

/** Enough of an article to tell its language: its first paragraphs. */
const LANGUAGE_SAMPLE_CHARS = 10_000;

/**
 * English by its declared language, else by the function words of its first paragraphs (a tenth
 * of their words or more).
 */
function isEnglish(article: ExtractableArticle): boolean {
  if (article.lang) return /^en\b/i.test(article.lang);
  const sample = article.text.slice(0, LANGUAGE_SAMPLE_CHARS);
  const words = sample.split(/\s+/).filter(Boolean).length;
  return words < 20 || (sample.match(ENGLISH_WORDS)?.length ?? 0) * 10 >= words;
}

/** The publication date, as precise as it is known. */
function publicationDate(reference: string): Pick<StoryEvent, 'date' | 'precision'> {
  if (reference.length >= 10) return { date: reference.slice(0, 10), precision: 'day' };
  return { date: reference, precision: reference.length === 7 ? 'month' : 'year' };
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
