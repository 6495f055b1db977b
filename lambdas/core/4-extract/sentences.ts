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
 * The longest sentence read whole. Real sentences stay below it (the longest of the 6,286 in
 * eval/real-corpus has 1,310 characters); a longer run (a table flattened to one line, a page of
 * digits) is read in pieces of this size, which bounds what every per-sentence pattern costs.
 */
export const MAX_SENTENCE_CHARS = 2_000;

/**
 * Splits article text into sentences. A line break always ends a sentence (a clean article's
 * lines are its blocks: headings, paragraphs, captions); within a line a sentence ends at . ! ?
 * (and a closing quote) followed by a capital or a quote, unless the period belongs to an
 * abbreviation such as "U.S." or "Gen." or a middle initial, and at Chinese and Japanese
 * full stops. A paragraph's dateline is left out. A run longer than MAX_SENTENCE_CHARS is cut
 * into pieces at spaces.
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
      sentences.push(...pieces(candidate.trim()));
      start = end;
    }
    const rest = flat.slice(start).trim();
    if (rest) sentences.push(...pieces(rest));
  }
  return sentences;
}

function pieces(sentence: string): string[] {
  if (sentence.length <= MAX_SENTENCE_CHARS) return [sentence];
  const cut: string[] = [];
  let rest = sentence;
  while (rest.length > MAX_SENTENCE_CHARS) {
    const space = rest.lastIndexOf(' ', MAX_SENTENCE_CHARS);
    const end = space > 0 ? space : MAX_SENTENCE_CHARS;
    cut.push(rest.slice(0, end));
    rest = rest.slice(end).trimStart();
  }
  if (rest) cut.push(rest);
  return cut;
}
