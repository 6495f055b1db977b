import { parseVisibleDate } from './published-date.js';

/**
 * What is never article text, as data: elements removed before scoring, and whole lines
 * dropped from the extracted text (boilerplate that sites put inside the article body).
 */

/** Elements that never carry article text. */
export const NON_CONTENT_TAGS = [
  'script',
  'style',
  'noscript',
  'template',
  'iframe',
  'svg',
  'canvas',
  'button',
  'input',
  'select',
  'textarea',
  'dialog',
] as const;

/**
 * Elements that are usually page furniture but that some sites wrap the whole page in (an
 * ASP.NET <form>, a <header> holding the article): removed unless they hold much of the text;
 * a <header> inside an <article> is the article's own.
 */
export const FURNITURE_TAGS = ['form', 'nav', 'aside', 'footer', 'header'] as const;

/** A furniture element holding more than this share of the page's text is the page itself. */
export const WRAPPER_SHARE = 0.4;

/**
 * class/id words of navigation, share bars, tag lists, comment boxes, related and most-read
 * lists, newsletter and cookie boxes, ads and author boxes. Matched as whole words of the
 * class or id ("share-bar", "post_comments"), never as substrings ("l-sidebar-fixed" is not
 * a sidebar of "l-", "entry-content-read-more" holds the article).
 */
const NOISE_WORDS = [
  'nav',
  'navbar',
  'navigation',
  'menu',
  'breadcrumb',
  'breadcrumbs',
  'share',
  'sharing',
  'shares',
  'social',
  'comment',
  'comments',
  'related',
  'recommended',
  'recommendations',
  'popular',
  'mostread',
  'trending',
  'newsletter',
  'subscribe',
  'subscription',
  'signup',
  'cookie',
  'cookies',
  'consent',
  'advert',
  'advertisement',
  'ad',
  'ads',
  'sponsor',
  'sponsored',
  'promo',
  'banner',
  'tags',
  'taglist',
  'footer',
  'sidebar',
  'widget',
  'readmore',
  'outbrain',
  'taboola',
  'byline',
  'masthead',
  'skip',
  'modal',
  'popup',
  'disqus',
  'print',
  'toolbar',
  'keywords',
  'topics',
  'contributor',
  'author',
  'bio',
  'more',
  'stories',
  'caption',
  'credit',
  'gallery',
  'slideshow',
];
const NOISE_NAME = new RegExp(`(?:^|[\\s_-])(?:${NOISE_WORDS.join('|')})(?:$|[\\s_-])`, 'i');
/** Names that mark a container of the article itself, which a noise word never removes. */
const CONTENT_NAME = /article|body|content|main|entry|post|story|text|column/i;

/** Whether an element's class or id names it as page furniture. */
export function isNoiseName(names: string): boolean {
  // camelCase words ("shareBar") are split only when there are capitals to split at.
  const words = /[A-Z]/.test(names) ? names.replace(/([a-z])([A-Z])/g, '$1-$2') : names;
  return NOISE_NAME.test(words) && !CONTENT_NAME.test(names);
}

const CONTENT_ROOT_TAGS = new Set(['html', 'body', 'main', 'article']);

/** A noise class never removes these: they hold the article itself. */
export function isContentRoot(element: { name: string; attribs: Record<string, string> }): boolean {
  return CONTENT_ROOT_TAGS.has(element.name) || element.attribs.itemprop === 'articleBody';
}

/**
 * Headings that introduce a box of furniture ("Newsletter", "Related articles", "About the
 * author"): a small container led by one is removed whole.
 */
export const FURNITURE_HEADING =
  /^(newsletter|related( articles| stories| posts)?|more (stories|from|on|news)|most (read|popular|viewed)|recommended|you (may|might) also like|read (more|next|also)|comments?|leave a (comment|reply)|about the author|share( this)?|tags|topics|filed under|follow us|sign up|você (pode|também pode) gostar|veja também|leia também|lee también|te puede interesar|artículos relacionados|noticias relacionadas|lesen sie auch|ähnliche artikel|à lire aussi|articles similaires|leggi anche|potrebbe interessarti|ilginizi çekebilir|benzer haberler|читайте также|похожие (новости|статьи))\b/iu;

/** Headings after which a page lists other articles: the article has ended. */
export const END_OF_ARTICLE =
  /^(related( articles| stories| posts)?|more (stories|from|on|news)|you (may|might) also like|recommended( for you)?|você (pode|também pode) gostar|veja também|te puede interesar|artículos relacionados|noticias relacionadas|ähnliche artikel|articles similaires|potrebbe interessarti|ilginizi çekebilir|benzer haberler|похожие (новости|статьи))\W*$/iu;

/** Whole lines (paragraphs) that are site furniture even when they sit inside the body. */
export const BOILERPLATE_LINES: readonly RegExp[] = [
  /^(read more|read also|see also|related|also read|more on this|recommended)\s*[:|»>-]/i,
  /^(subscribe|sign up|join us|like us)\b.{0,120}$/i,
  // "Follow us everywhere and at any time. … follow our Twitter and Facebook pages."
  /^follow us\b.{0,400}$/i,
  /^(your comment|leave a (comment|reply)|post (a )?comment|add (a )?comment|comments? \(\d+\))$/i,
  /^be the first to comment\b/i,
  /^(share|share this|share on)\b.{0,80}$/i,
  /^(sources?|tags?|topics?)\s*:.{0,200}$/i,
  /^(advert|advertisement|related ads|sponsored|caption|close|comments?|back to gallery|loading\.*|print|email|next|previous|show more|see more|expand)$/i,
  /^(©|copyright\b)/i,
  // Credits and dates that sit between paragraphs.
  /^(photo|image|picture|credit|video)s?\s*(:|by\b).{0,200}$/i,
  /^(published|updated|posted|last updated)\b.{0,80}$/i,
  /^this (slideshow|video|content) requires javascript\.?$/i,
  // A byline: "By A. Staff Writer", "By Jane Doe and John Roe, Reuters".
  /^[Bb]y\s+\p{Lu}[\p{L}.'’-]*(?:\s+(?:and\s+)?\p{Lu}[\p{L}.'’-]*){0,5}(?:,[^.!?]{0,60})?$/u,
  // A line that is only an address: an e-mail or a bare link.
  /^[^\s@]+@[^\s@]+\.\w+$/,
  /^(https?:\/\/|www\.)?[\w.-]+\.[a-z]{2,}(\/\S*)?$/i,
];

/** A tag cloud run together by a page's markup: "air defence missile systemCongresscontractdeal". */
function isRunTogetherTags(line: string): boolean {
  if (line.length > 600 || /[.,;:!?"“”]/.test(line)) return false;
  const joins = line.match(/\p{Ll}{3,}\p{Lu}/gu)?.length ?? 0;
  return (
    joins >= 2 || (joins === 1 && /\p{Ll}{4,}\p{Lu}\p{Ll}{3,}/u.test(line) && line.length <= 120)
  );
}

/** A date on its own line ("Wednesday, July 17, 2019", "July 12 2019 12:10:00"): page furniture. */
function isDateLine(line: string): boolean {
  return line.length <= 40 && !/[.!?]$/.test(line) && parseVisibleDate(line) !== undefined;
}

export function isBoilerplateLine(line: string): boolean {
  return (
    BOILERPLATE_LINES.some((pattern) => pattern.test(line)) ||
    isRunTogetherTags(line) ||
    isDateLine(line)
  );
}
