import confusables from 'unhomoglyph/data.json' with { type: 'json' };

const LATIN = /[A-Za-z\u00C0-\u024F]/;
/**
 * Cyrillic and Greek letters that look like a Latin letter (Unicode's confusables, through
 * unhomoglyph's table), mapped to that letter: "Тurkеy" written with a Cyrillic Т and е.
 */
const LOOKALIKES: ReadonlyMap<string, string> = new Map(
  Object.entries(confusables as Record<string, string>).filter(
    ([from, to]) => /^[\p{Script=Cyrillic}\p{Script=Greek}]$/u.test(from) && /^[A-Za-z]$/.test(to),
  ),
);

/**
 * The text as matching should read it: compatibility forms folded (NFKC: full-width letters,
 * ligatures, mathematical letters), invisible characters (soft hyphens, zero-width spaces and
 * joiners, byte-order marks) dropped, every kind of space a space, curly and angled quotes
 * straight, hyphens and minus signs a hyphen-minus, Arabic and Persian digits 0–9, and look-alike Cyrillic or Greek letters in
 * Latin words (or in a text written in Latin letters) Latin. A Russian or Greek text keeps its
 * letters: only its words that mix in Latin letters are folded. Spellings that vary within a
 * script are made one: Greek without accents (headlines in capitals drop them), Turkish İ as I
 * (case-insensitive matching knows no dotted capital), Arabic alef with hamza or madda as alef,
 * and Persian yeh and keheh as their Arabic forms. Terms and cues are folded the same way.
 */
export function foldText(text: string): string {
  const plain = text
    .normalize('NFKC')
    .replace(/[\u00AD\u200B-\u200D\u2060\uFEFF]/g, '')
    .replace(/[\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]/g, ' ')
    .replace(/[\u2018\u2019\u201A\u201B\u2032]/g, "'")
    .replace(/[\u201C\u201D\u201E\u201F\u2033\u00AB\u00BB]/g, '"')
    .replace(/[\u2010\u2011\u2212]/g, '-')
    .replace(/[\u0660-\u0669\u06F0-\u06F9]/g, (digit) =>
      String((digit.charCodeAt(0) - 0x0660) % 0x90),
    );
  const latinText = isMostlyLatin(plain);
  return plain
    .replace(/[\p{L}\p{M}]+/gu, (word) => foldWord(word, latinText))
    .replace(/İ/g, 'I')
    .replace(/[\p{Script=Greek}]\p{M}*/gu, (letter) =>
      letter.normalize('NFD').replace(/\p{M}/gu, '').normalize('NFC'),
    )
    .replace(/[أإآٱ]/g, 'ا')
    .replace(/ی/g, 'ي')
    .replace(/ک/g, 'ك');
}

function foldWord(word: string, latinText: boolean): string {
  let latin = 0;
  let lookalike = 0;
  for (const letter of word) {
    if (LATIN.test(letter)) latin += 1;
    else if (LOOKALIKES.has(letter)) lookalike += 1;
    else return word;
  }
  if (lookalike === 0 || (latin === 0 && !latinText)) return word;
  return [...word].map((letter) => LOOKALIKES.get(letter) ?? letter).join('');
}

/** Four in five of the text's letters (look-alikes aside) are Latin. */
function isMostlyLatin(text: string): boolean {
  let latin = 0;
  let other = 0;
  for (const letter of text.match(/\p{L}/gu) ?? []) {
    if (LATIN.test(letter)) latin += 1;
    else if (!LOOKALIKES.has(letter)) other += 1;
  }
  return latin > 0 && latin >= 4 * other;
}
