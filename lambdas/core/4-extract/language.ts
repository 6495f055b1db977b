import { franc } from 'franc-min';
import { LANGUAGE_CUES } from './languages/index.js';

/** franc's ISO 639-3 codes to the ISO 639-1 codes pages and story files use. */
const TWO_LETTER: Readonly<Record<string, string>> = {
  eng: 'en',
  rus: 'ru',
  tur: 'tr',
  deu: 'de',
  fra: 'fr',
  spa: 'es',
  por: 'pt',
  ita: 'it',
  ind: 'id',
  // Malay and Indonesian share most of their words: news in either reads the same.
  zlm: 'id',
  jpn: 'ja',
  cmn: 'zh',
  arb: 'ar',
  ell: 'el',
  pol: 'pl',
  ukr: 'uk',
  nld: 'nl',
  pes: 'fa',
  hun: 'hu',
  // franc-min knows no Norwegian or Danish: they come out as Swedish, their neighbour.
  swe: 'sv',
  ces: 'cs',
  srp: 'sr',
  bos: 'bs',
  hrv: 'hr',
  bul: 'bg',
  ron: 'ro',
  vie: 'vi',
  azj: 'az',
  ben: 'bn',
  hin: 'hi',
  urd: 'ur',
  kor: 'ko',
  heb: 'he',
  hye: 'hy',
  bel: 'be',
  kaz: 'kk',
  uzn: 'uz',
};

/** The longest stretch of text the detector reads: its trigram counts settle well before. */
const SAMPLE_CHARS = 2_000;

/**
 * The language a text is written in (ISO 639-1), from its own letters: a page's declared
 * language is often the site's, not the article's. Undefined when the text is too short or too
 * mixed to tell.
 */
export function detectLanguage(text: string): string | undefined {
  // Only the languages the extractor reads: a close neighbour of one (Bulgarian of Russian)
  // comes out as that one, which reads it best, rather than as a language it cannot read.
  const code = franc(text.slice(0, SAMPLE_CHARS), { minLength: 20, only: CANDIDATES });
  return TWO_LETTER[code];
}

const CANDIDATES = Object.keys(TWO_LETTER).filter((code) => {
  const twoLetter = TWO_LETTER[code];
  return twoLetter !== undefined && LANGUAGE_CUES.has(twoLetter);
});
