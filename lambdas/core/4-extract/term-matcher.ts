export interface TermMatch<T> {
  readonly term: string;
  readonly value: T;
  readonly index: number;
}

/**
 * Whole-word, case-insensitive matching of gazetteer terms: "S-400" also matches "S400",
 * "S 400" and "S-400s"; "Turkey" matches "Turkey's". Short all-capital terms ("US") match only
 * in capitals, so the pronoun "us" is not the United States. Built once, reused for every text.
 */
export class TermMatcher<T> {
  private readonly pattern: RegExp | undefined;
  private readonly byKey = new Map<string, { term: string; value: T }>();

  constructor(entries: Iterable<readonly [term: string, value: T]>) {
    const terms: string[] = [];
    for (const [term, value] of entries) {
      const key = keyOf(term);
      if (!key) continue;
      terms.push(term);
      if (!this.byKey.has(key)) this.byKey.set(key, { term, value });
    }
    terms.sort((a, b) => b.length - a.length);
    this.pattern = terms.length
      ? new RegExp(
          `(?<![\\p{L}\\p{N}])(?:${terms.map(toPattern).join('|')})(?:'s|’s|s)?(?![\\p{L}\\p{N}])`,
          'giu',
        )
      : undefined;
  }

  /** Every match in order of appearance, with the value of the term that matched. */
  matches(text: string): TermMatch<T>[] {
    if (!this.pattern) return [];
    const found: TermMatch<T>[] = [];
    for (const match of text.matchAll(this.pattern)) {
      const entry = this.lookup(match[0]);
      if (entry) found.push({ term: match[0], value: entry.value, index: match.index ?? 0 });
    }
    return found;
  }

  /** The distinct values found, in order of first appearance. */
  values(text: string): T[] {
    return [...new Set(this.matches(text).map((match) => match.value))];
  }

  private lookup(raw: string): { term: string; value: T } | undefined {
    for (const candidate of [raw, raw.replace(/(?:'s|’s|s)$/u, '')]) {
      const entry = this.byKey.get(keyOf(candidate));
      if (!entry) continue;
      if (isAcronym(entry.term) && candidate.replace(/\./g, '') !== entry.term.replace(/\./g, '')) {
        continue;
      }
      return entry;
    }
    return undefined;
  }
}

function keyOf(term: string): string {
  return term.toLocaleLowerCase('en').replace(/[-\s.]+/g, '');
}

function isAcronym(term: string): boolean {
  return term.replace(/\./g, '').length <= 4 && term === term.toUpperCase() && /\p{Lu}/u.test(term);
}

function toPattern(term: string): string {
  return term
    .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    .replace(
      /(?:\\\.)?[-\s]+/g,
      (separator) => `${separator.startsWith('\\.') ? '\\.?' : ''}[-\\s]?`,
    );
}
