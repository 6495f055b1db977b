import { load } from 'cheerio/slim';
import type { Document } from 'domhandler';
import { resolveHttpUrl } from '../1-discover/canonical-url.js';
import type { Deadline } from '../model/deadline.js';
import { type ParsedPage, readArticle } from './article-text.js';
import { isBoilerplateLine } from './boilerplate.js';
import { flattenDeepNodes, MAX_DEPTH } from './dom-depth.js';
import { findHeadline } from './headline.js';
import { type JsonLdNode, type JsonLdScript, readJsonLd, stringField } from './json-ld.js';
import { boundMarkup } from './markup-budget.js';
import { PageIndex } from './page-index.js';
import { findPageDates } from './published-date.js';
import { siteRuleFor } from './site-rules.js';
import { leadingText } from './text-measure.js';

export interface CleanArticle {
  readonly url: string | undefined;
  readonly canonicalUrl: string | undefined;
  readonly title: string;
  readonly byline: string | undefined;
  readonly outlet: string | undefined;
  readonly lang: string | undefined;
  readonly publishedAt: string | undefined;
  readonly modifiedAt: string | undefined;
  /** Paragraphs separated by blank lines. */
  readonly text: string;
  /** Why the text is empty or partial, when it is (a frameset, a script-built page, …). */
  readonly problem: string | undefined;
}

/**
 * Extracts the article from a page: metadata first (before any element is removed), then the
 * container whose paragraphs carry the most text with the fewest links, then its paragraphs
 * without the lines that are site furniture. Given a `deadline`, it stops between steps with a
 * BudgetExceededError once the deadline has passed.
 */
export function cleanHtml(
  html: string,
  url?: string,
  now: Date = new Date(),
  deadline?: Deadline,
): CleanArticle {
  const bounded = boundMarkup(html);
  deadline?.check('parsing');
  const first = parse(bounded.html);
  deadline?.check('reading metadata');
  const { page } = first;
  const metas = metaContents(page);
  const jsonLd = readJsonLd(page);
  const canonicalUrl = resolveHttpUrl(
    page.tag('link').find((link) => /(^|\s)canonical(\s|$)/i.test(link.attribs.rel ?? ''))?.attribs
      .href,
    url,
  );
  const title = findTitle(page, metas);
  const metadata = {
    url,
    canonicalUrl,
    title,
    byline: findByline(page),
    outlet: metas.get('og:site_name') || jsonLdPublisher(jsonLd) || hostOf(url ?? canonicalUrl),
    lang: page.tag('html')[0]?.attribs.lang?.trim() || undefined,
    ...findPageDates(page, jsonLd, findHeadline(page, title), url, now),
  };
  const scripted = page.tag('script').length > 0;
  const framed = page.tag('frame').some((frame) => frame.attribs.src);
  const rule = siteRuleFor(url ?? canonicalUrl);
  deadline?.check('reading the article');
  const read = chooseText(
    readArticle(first, title, rule, { strict: true }),
    // Parsed again only when asked for: the strict reading changed the first tree.
    () => {
      deadline?.check('reading the article again, relaxed');
      return readArticle(parse(bounded.html), title, rule, { strict: false });
    },
  );
  const text = withPublishedBody(read, jsonLdArticleBody(jsonLd)).join('\n\n');
  const truncated = first.truncated || bounded.tooDeep;
  return { ...metadata, text, problem: problemOf(text, truncated, framed, scripted) };
}

/**
 * Under this many characters (a sentence or two: next to nothing) the strict reading is retried
 * relaxed, as Readability retries under 500. Readability keeps the longer reading; here the
 * relaxed one must be twice as long, since a short article read relaxed is the article and its
 * furniture.
 */
const SHORT_TEXT_CHARS = 200;
const RELAXED_GAIN = 2;

function chooseText(strict: string[], relaxed: () => string[]): string[] {
  const length = (paragraphs: readonly string[]) =>
    paragraphs.reduce((sum, paragraph) => sum + paragraph.length, 0);
  if (length(strict) >= SHORT_TEXT_CHARS) return strict;
  const retried = relaxed();
  return length(retried) >= length(strict) * RELAXED_GAIN ? retried : strict;
}

/**
 * The text the publisher put in its JSON-LD (`articleBody`), when what was read from the page is
 * under half of it: the visible page is then thin (a paywall's teaser, a script-built body, an
 * article the extractor cut short), and the publisher's own copy is the article.
 */
function withPublishedBody(read: string[], published: string[]): string[] {
  const length = (paragraphs: readonly string[]) =>
    paragraphs.reduce((sum, paragraph) => sum + paragraph.length, 0);
  return length(read) * 2 < length(published) ? published : read;
}

/** The longest `articleBody` of the page's JSON-LD, as paragraphs (markup in it removed). */
function jsonLdArticleBody(scripts: readonly JsonLdScript[]): string[] {
  let longest = '';
  for (const script of scripts)
    for (const node of script.nodes) {
      const body = stringField(node.articleBody);
      if (body && body.length > longest.length) longest = body;
    }
  if (!longest) return [];
  const text = /<[a-z][^>]{0,200}>/i.test(longest) ? textOfFragment(longest) : longest;
  return text
    .split(/\n\s*\n|\r?\n/)
    .map((paragraph) => paragraph.replace(/\s+/g, ' ').trim())
    .filter(Boolean);
}

/** The text of an HTML fragment, paragraphs on lines of their own. */
function textOfFragment(fragment: string): string {
  const $ = load(boundMarkup(fragment.replace(/<\/(p|div|h[1-6]|li)>|<br\s*\/?>/gi, '$&\n')).html);
  return $.root().text();
}

function parse(html: string): ParsedPage & { readonly truncated: boolean } {
  const $ = load(html);
  const root = $.root().get(0) as Document;
  // The pre-scan keeps the parser within the depth limit; the walk stays as the guarantee.
  const truncated = flattenDeepNodes(root);
  return { $, page: new PageIndex(root), truncated };
}

/** meta name/property → content, first occurrence wins. */
function metaContents(page: PageIndex): Map<string, string> {
  const contents = new Map<string, string>();
  for (const meta of page.tag('meta')) {
    const key = (meta.attribs.property ?? meta.attribs.name ?? '').toLowerCase();
    const content = meta.attribs.content?.trim();
    if (key && content && !contents.has(key)) contents.set(key, content);
  }
  return contents;
}

function problemOf(
  text: string,
  truncated: boolean,
  framed: boolean,
  scripted: boolean,
): string | undefined {
  if (truncated)
    return `nested deeper than ${MAX_DEPTH} elements: the deepest content was read as plain text`;
  if (text) return undefined;
  if (framed) return 'a frameset: the article is in its frames, which are separate pages';
  if (scripted) return 'no text in the markup: the page is built by JavaScript';
  return 'no article text found';
}

/** Plain text input (already clean of markup): paragraphs kept, furniture lines dropped. */
export function cleanText(text: string): string {
  const lines = text
    .split(/\r?\n/)
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter((line) => line && !isBoilerplateLine(line));
  // A kicker of section names before the headline ("Russia, S-400 missiles") is not text.
  while (lines.length > 1 && isKicker(lines[0] ?? '')) lines.shift();
  return lines.join('\n\n');
}

function isKicker(line: string): boolean {
  return line.split(' ').length <= 6 && line.includes(',') && !/[.!?:"“”]$/.test(line);
}

/** Longer than any headline: what is read of an element that may hold one. */
const TITLE_CHARS = 1_000;

function findTitle(page: PageIndex, metas: Map<string, string>): string {
  const candidates = [
    () => metas.get('og:title'),
    () => {
      const [h1] = page.tag('h1');
      return h1 ? leadingText(h1, TITLE_CHARS) : undefined;
    },
    () => {
      const [title] = page.tag('title');
      return title ? leadingText(title, TITLE_CHARS) : undefined;
    },
  ];
  for (const candidate of candidates) {
    const title = candidate()?.replace(/\s+/g, ' ').trim();
    if (title) return stripSiteSuffix(title);
  }
  return '';
}

/** "Headline | Site", "Headline - Site", "Headline — Site" → "Headline". */
export function stripSiteSuffix(title: string): string {
  const parts = title.split(/\s+[|–—-]\s+/);
  if (parts.length < 2) return title;
  const head = parts.slice(0, -1).join(' - ');
  return head.length >= 15 ? head : title;
}

const BYLINE_CHARS = 200;
/**
 * "· 2 min read" at the end. The digits follow a non-digit (or start the text) so that a run of
 * digits is tried once, not from each of its digits.
 */
const READING_TIME = /(?:^|(?<=\D))\s*[·•|–-]?\s*\d+\s*min(?:ute)?s?\s+read$/i;

function findByline(page: PageIndex): string | undefined {
  const byline =
    page.tag('a').find((link) => /(^|\s)author(\s|$)/i.test(link.attribs.rel ?? '')) ??
    page.itemprop('author')[0] ??
    page.named.find((element) =>
      /(^|\s)(byline|author-name)(\s|$)/i.test(element.attribs.class ?? ''),
    );
  // A byline is a name or a few: a long text under a byline's class is something else.
  const text = byline ? normalise(leadingText(byline, BYLINE_CHARS * 4)) : '';
  if (text.length > BYLINE_CHARS) return undefined;
  // "By Selin Arkan · 2 min read" → "Selin Arkan".
  const name = text.replace(/^by\s+/i, '').replace(READING_TIME, '');
  return name || undefined;
}

function jsonLdPublisher(scripts: readonly JsonLdScript[]): string | undefined {
  for (const script of scripts) {
    for (const node of script.nodes) {
      const publisher = node.publisher;
      if (publisher && typeof publisher === 'object' && !Array.isArray(publisher)) {
        const name = stringField((publisher as JsonLdNode).name);
        if (name) return name;
      }
    }
  }
  return undefined;
}

function hostOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).hostname;
  } catch {
    return undefined;
  }
}

function normalise(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
