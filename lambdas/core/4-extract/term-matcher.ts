import { foldText } from './fold-text.js';

export interface TermMatch<T> {
  readonly term: string;
  readonly value: T;
  readonly index: number;
}

/**
 * Scripts whose words are not set apart by spaces (Chinese, Japanese) or carry attached
 * prefixes (Arabic's "و", "ال"): their terms match anywhere.
 */
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Arabic}]/u;
/** A letter or digit that continues a word: Chinese and Japanese characters do not. */
const WORD_CHARACTER =
  '(?:(?![\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}])[\\p{L}\\p{N}])';

interface Entry<T> {
  readonly term: string;
  readonly value: T;
}

/**
 * Whole-word, case-insensitive matching of gazetteer terms in any language: "S-400" also
 * matches "S400", "S 400" and "S-400s"; "Turkey" matches "Turkey's" and "Erdoğan" matches
 * "Erdoğan'ın" (an apostrophe and a suffix); a term ending in "*" matches any word it begins
 * ("Турци*" matches "Турция", "Турции"); terms in Chinese, Japanese or Arabic match anywhere,
 * as those languages do not space words or attach prefixes to them, and a Latin term may touch
 * Chinese or Japanese characters ("S-400防空"). Short all-capital terms ("US") match only in capitals, so the
 * pronoun "us" is not the United States. Built once, reused for every text.
 */
export class TermMatcher<T> {
  private readonly spaced: RegExp | undefined;
  private readonly unspaced: RegExp | undefined;
  private readonly byKey = new Map<string, Entry<T>>();
  /** Terms ending in "*", longest first. */
  private readonly prefixes: (Entry<T> & { readonly key: string })[] = [];

  constructor(entries: Iterable<readonly [term: string, value: T]>) {
    const spaced: string[] = [];
    const unspaced: string[] = [];
    for (const [written, value] of entries) {
      // Read as the text is read: folded alike (see fold-text.ts).
      const term = foldText(written);
      const prefix = term.endsWith('*');
      const key = keyOf(prefix ? term.slice(0, -1) : term);
      if (!key) continue;
      (UNSPACED.test(term) ? unspaced : spaced).push(term);
      if (prefix) this.prefixes.push({ term, value, key });
      else if (!this.byKey.has(key)) this.byKey.set(key, { term, value });
    }
    this.prefixes.sort((a, b) => b.key.length - a.key.length);
    const byLength = (list: string[]) => list.sort((a, b) => b.length - a.length).map(toPattern);
    this.spaced = spaced.length
      ? new RegExp(
          `(?<!${WORD_CHARACTER})(?:${byLength(spaced).join('|')})(?:['’]\\p{L}{1,12}|s)?(?!${WORD_CHARACTER})`,
          'giu',
        )
      : undefined;
    this.unspaced = unspaced.length
      ? new RegExp(`(?:${byLength(unspaced).join('|')})`, 'giu')
      : undefined;
  }

  /** Every match in order of appearance, with the value of the term that matched. */
  matches(text: string): TermMatch<T>[] {
    const found: TermMatch<T>[] = [];
    for (const pattern of [this.spaced, this.unspaced]) {
      if (!pattern) continue;
      for (const match of text.matchAll(pattern)) {
        const entry = this.lookup(match[0]);
        if (entry) found.push({ term: match[0], value: entry.value, index: match.index ?? 0 });
      }
    }
    return found.sort((a, b) => a.index - b.index);
  }

  /** The distinct values found, in order of first appearance. */
  values(text: string): T[] {
    return [...new Set(this.matches(text).map((match) => match.value))];
  }

  private lookup(raw: string): Entry<T> | undefined {
    for (const candidate of [raw, raw.replace(/(?:['’]\p{L}{1,12}|s)$/u, '')]) {
      const entry = this.byKey.get(keyOf(candidate));
      if (!entry) continue;
      if (isAcronym(entry.term) && candidate.replace(/\./g, '') !== entry.term.replace(/\./g, '')) {
        continue;
      }
      return entry;
    }
    const key = keyOf(raw);
    return this.prefixes.find((prefix) => key.startsWith(prefix.key));
  }
}

function keyOf(term: string): string {
  return term.toLocaleLowerCase('en').replace(/[-\s.]+/g, '');
}

function isAcronym(term: string): boolean {
  return term.replace(/\./g, '').length <= 4 && term === term.toUpperCase() && /\p{Lu}/u.test(term);
}

function toPattern(term: string): string {
  const prefix = term.endsWith('*');
  const body = (prefix ? term.slice(0, -1) : term)
    .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    .replace(
      /(?:\\\.)?[-\s]+/g,
      (separator) => `${separator.startsWith('\\.') ? '\\.?' : ''}[-\\s]?`,
    );
  return prefix ? `${body}\\p{L}*` : body;
}
