/**
 * What is never article text, as data: elements removed before scoring, and whole lines
 * dropped from the extracted text (boilerplate that sites put inside the article body).
 */

/** Elements that never carry article text. */
export const NON_CONTENT_ELEMENTS =
  'script, style, noscript, template, iframe, svg, canvas, form, button, input, select, textarea, nav, aside, footer, header:not(article header), dialog';

/**
 * class/id fragments of navigation, share bars, tag lists, comment boxes, related and most-read
 * lists, newsletter and cookie boxes, ads and author boxes.
 */
const NOISE_NAMES = [
  'nav',
  'menu',
  'breadcrumb',
  'share',
  'social',
  'sharing',
  'comment',
  'related',
  'most-read',
  'mostread',
  'popular',
  'recommend',
  'newsletter',
  'subscribe',
  'signup',
  'sign-up',
  'cookie',
  'consent',
  'advert',
  'sponsor',
  'promo',
  'banner',
  'tags',
  'tag-list',
  'taglist',
  'author-box',
  'authorbox',
  'author-bio',
  'footer',
  'sidebar',
  'widget',
  'read-more',
  'readmore',
  'read-also',
];

export const NOISE_SELECTOR = NOISE_NAMES.flatMap((name) => [
  `[class*="${name}" i]`,
  `[id*="${name}" i]`,
]).join(', ');

/** A noise class on these never removes them: they hold the article itself. */
export const CONTENT_ROOTS = 'html, body, main, article, [itemprop="articleBody"]';

/** Whole lines (paragraphs) that are site furniture even when they sit inside the body. */
export const BOILERPLATE_LINES: readonly RegExp[] = [
  /^(read more|read also|see also|related|also read|more on this|recommended)\s*[:|»>-]/i,
  /^(subscribe|sign up|follow us|join us|like us)\b.{0,120}$/i,
  /^be the first to comment\b/i,
  /^(share|share this|share on)\b.{0,80}$/i,
  /^(sources?|tags?|topics?)\s*:.{0,200}$/i,
  /^(advertisement|related ads|sponsored)$/i,
  /^(©|copyright\b)/i,
];

export function isBoilerplateLine(line: string): boolean {
  return BOILERPLATE_LINES.some((pattern) => pattern.test(line));
}
