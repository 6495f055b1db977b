/** Abbreviations whose period does not end a sentence. */
const ABBREVIATION =
  /(?:\b(?:Mr|Mrs|Ms|Dr|Gen|Lt|Col|Maj|Capt|Adm|Sen|Rep|Gov|Pres|Prof|St|Jr|Sr|No|Vol|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|vs|etc|approx|est|Inc|Ltd|Co|Corp)|\b(?:[A-Z]\.){1,3}[A-Z]?)\.$/;

/**
 * Splits article text into sentences. Paragraph breaks always end a sentence; within a
 * paragraph a sentence ends at . ! ? (and a closing quote) followed by a capital or a quote,
 * unless the period belongs to an abbreviation such as "U.S." or "Gen.".
 */
export function splitSentences(text: string): string[] {
  const sentences: string[] = [];
  for (const paragraph of text.split(/\n\s*\n/)) {
    const flat = paragraph.replace(/\s+/g, ' ').trim();
    if (!flat) continue;
    let start = 0;
    const boundary = /[.!?]["”’')\]]*\s+(?=["“‘(]?[\p{Lu}\d])/gu;
    for (const match of flat.matchAll(boundary)) {
      const end = (match.index ?? 0) + match[0].trimEnd().length;
      const candidate = flat.slice(start, end);
      if (ABBREVIATION.test(candidate.replace(/["”’')\]]+$/, ''))) continue;
      sentences.push(candidate.trim());
      start = end;
    }
    const rest = flat.slice(start).trim();
    if (rest) sentences.push(rest);
  }
  return sentences;
}
