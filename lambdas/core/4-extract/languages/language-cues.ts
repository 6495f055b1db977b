import type { BaseEventType } from '../../model/records.js';

/**
 * What the extractor needs to know of one language to read a headline and lead in it: the words
 * that tell each kind of happening, that the sentence reports a saying, that it looks ahead, and
 * the words for days. Every cue is lower-case and matches the start of a word ("teslim" matches
 * "teslimat", "teslim edildi"), or, for languages written without spaces (Chinese, Japanese),
 * anywhere in the text. A cue may hold several words ("hava savunma"). General vocabulary only:
 * what a story adds (its systems, programmes, rivals) is in its story file.
 */
export interface LanguageCues {
  /** ISO 639-1 code, as language detection reports it. */
  readonly code: string;
  /** Written without spaces between words: cues match anywhere. */
  readonly unspaced?: boolean;
  /** Cue words per base event type (see DESIGN.md's table); most specific types first wins ties. */
  readonly types: Partial<Readonly<Record<BaseEventType, readonly string[]>>>;
  /**
   * Verbs of saying besides the STATEMENT cues ("added", "stressed"): a sentence with no other
   * cue that has one reports a statement.
   */
  readonly speech: readonly string[];
  /** Marks of the future, plans and expectations ("will", "plans to", "expected"). */
  readonly future: readonly string[];
  /** Negation ("not", "no"), which turns an act into its denial or absence. */
  readonly negation: readonly string[];
  /** Weekday names, Monday first, each as the forms news text uses (lower-case). */
  readonly weekdays: readonly (readonly string[])[];
  /** "yesterday", "today", "last week" in this language. */
  readonly yesterday: readonly string[];
  readonly today: readonly string[];
  readonly lastWeek: readonly string[];
}
