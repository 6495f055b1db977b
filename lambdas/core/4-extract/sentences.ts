/** Abbreviations whose period does not end a sentence. */
const ABBREVIATION =
  /(?:\b(?:Mr|Mrs|Ms|Dr|Gen|Lt|Col|Maj|Capt|Adm|Sen|Rep|Gov|Pres|Prof|St|Jr|Sr|No|Vol|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|vs|etc|approx|est|Inc|Ltd|Co|Corp)|\b(?:[A-Z]\.){1,3}[A-Z]?)\.$/;

/** "Sergei V." : a name's middle initial. */
const MIDDLE_INITIAL = /\b\p{Lu}\p{Ll}+\s\p{Lu}\.$/u;
/**
 * "MOSCOW (Reuters) –", "ANKARA, Turkey —", "WASHINGTON, July 12 (AP) —": where the report was
 * filed, not what it says (a Moscow dateline does not make Russia an actor).
 */
const DATELINE =
  /^\p{Lu}[\p{Lu}.'’-]{2,}(?:\s\p{Lu}[\p{Lu}.'’-]+){0,3}(?:,(?:\s[\p{L}\d.]+){1,4})*(?:\s?\([^()]{1,40}\))?\s?[-–—]\s(?=["“\p{Lu}])/u;

/**
 * Splits article text into sentences. A line break always ends a sentence (a clean article's
 * lines are its blocks: headings, paragraphs, captions); within a line a sentence ends at . ! ?
 * (and a closing quote) followed by a capital or a quote, unless the period belongs to an
 * abbreviation such as "U.S." or "Gen." or a middle initial, and at Chinese and Japanese
 * full stops. A paragraph's dateline is left out.
 */
export function splitSentences(text: string): string[] {
  const sentences: string[] = [];
  for (const paragraph of text.split(/\n+/)) {
    const flat = paragraph.replace(/\s+/g, ' ').trim().replace(DATELINE, '');
    if (!flat) continue;
    let start = 0;
    const boundary = /[.!?]["”’')\]]*\s+(?=["“‘(]?[\p{Lu}\d])|[。！？]["”’」』)]*\s*/gu;
    for (const match of flat.matchAll(boundary)) {
      const end = (match.index ?? 0) + match[0].trimEnd().length;
      const candidate = flat.slice(start, end);
      const bare = candidate.replace(/["”’')\]]+$/, '');
      if (ABBREVIATION.test(bare) || MIDDLE_INITIAL.test(bare)) continue;
      sentences.push(candidate.trim());
      start = end;
    }
    const rest = flat.slice(start).trim();
    if (rest) sentences.push(rest);
  }
  return sentences;
}
