import { ar } from './ar.js';
import { de } from './de.js';
import { el } from './el.js';
import { en } from './en.js';
import { es } from './es.js';
import { fa } from './fa.js';
import { fr } from './fr.js';
import { hu } from './hu.js';
import { id } from './id.js';
import { itCues } from './it.js';
import { ja } from './ja.js';
import type { LanguageCues } from './language-cues.js';
import { nl } from './nl.js';
import { no } from './no.js';
import { pl } from './pl.js';
import { pt } from './pt.js';
import { ru } from './ru.js';
import { sv } from './sv.js';
import { tr } from './tr.js';
import { uk } from './uk.js';
import { zh } from './zh.js';

export type { LanguageCues } from './language-cues.js';

/** The cues of every language the extractor reads, keyed by ISO 639-1 code. */
export const LANGUAGE_CUES: ReadonlyMap<string, LanguageCues> = new Map(
  [en, ru, tr, de, fr, es, pt, itCues, id, ja, zh, ar, el, pl, uk, nl, fa, hu, sv, no].map(
    (cues) => [cues.code, cues] as const,
  ),
);
