import { type CheerioAPI, load } from 'cheerio/slim';
import type { AnyNode, Document, Element } from 'domhandler';
import { resolveHttpUrl } from '../1-discover/canonical-url.js';
import {
  FURNITURE_HEADING,
  FURNITURE_TAGS,
  isBoilerplateLine,
  isContentRoot,
  isNoiseName,
  NON_CONTENT_TAGS,
  WRAPPER_SHARE,
} from './boilerplate.js';
import { flattenDeepNodes, MAX_DEPTH } from './dom-depth.js';
import { findHeadline } from './headline.js';
import { mainContent } from './main-content.js';
import { closest, PageIndex } from './page-index.js';
import { findPageDates } from './published-date.js';
import { siteRuleFor } from './site-rules.js';
import { textLengths } from './text-measure.js';

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
 * without the lines that are site furniture.
 */
export function cleanHtml(html: string, url?: string, now: Date = new Date()): CleanArticle {
  const $ = load(html);
  const root = $.root().get(0) as Document;
  const truncated = flattenDeepNodes(root);
  const page = new PageIndex(root);
  const metas = metaContents(page);
  const canonicalUrl = resolveHttpUrl(
    page.tag('link').find((link) => /(^|\s)canonical(\s|$)/i.test(link.attribs.rel ?? ''))?.attribs
      .href,
    url,
  );
  const title = findTitle($, page, metas);
  const metadata = {
    url,
    canonicalUrl,
    title,
    byline: findByline($, page),
    outlet: metas.get('og:site_name') || jsonLdPublisher($, page) || hostOf(url ?? canonicalUrl),
    lang: page.tag('html')[0]?.attribs.lang?.trim() || undefined,
    ...findPageDates($, page, findHeadline(page, title), url, now),
  };

  const rule = siteRuleFor(url ?? canonicalUrl);
  for (const selector of rule?.drop ?? []) $(selector).remove();
  const ruleContent = rule?.content
    ? $(rule.content)
        .toArray()
        .filter((node): node is Element => node.type === 'tag')
    : [];
  const scripted = page.tag('script').length > 0;
  const framed = page.tag('frame').some((frame) => frame.attribs.src);
  for (const tag of NON_CONTENT_TAGS) for (const element of page.tag(tag)) page.remove(element);
  const lengths = textLengths(root);
  const pageText = lengths.get(page.tag('body')[0] ?? root) ?? 0;
  const isWrapper = (element: AnyNode) => (lengths.get(element) ?? 0) > pageText * WRAPPER_SHARE;
  for (const tag of FURNITURE_TAGS) {
    for (const element of page.tag(tag)) {
      if (tag === 'header' && closest(element.parent ?? element, ARTICLE)) continue;
      if (!isWrapper(element)) page.remove(element);
    }
  }
  for (const element of page.named) {
    if (
      isContentRoot(element) ||
      !isNoiseName(element.attribs.class ?? '', element.attribs.id ?? '')
    )
      continue;
    if (!isWrapper(element) && page.attached(element)) page.remove(element);
  }
  removeFurnitureBoxes($, page);
  const text = mainContent(
    page,
    metadata.title,
    ruleContent.filter((element) => page.attached(element)),
  ).join('\n\n');
  return { ...metadata, text, problem: problemOf(text, truncated, framed, scripted) };
}

const ARTICLE = new Set(['article']);

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

/** Small containers led by a furniture heading (a newsletter box, a related list, an author box). */
function removeFurnitureBoxes($: CheerioAPI, page: PageIndex): void {
  for (const tag of ['h2', 'h3', 'h4', 'h5', 'h6', 'strong', 'b']) {
    for (const heading of page.tag(tag)) {
      const box = heading.parent;
      if (box?.type !== 'tag' || isContentRoot(box as Element)) continue;
      const first = (box as Element).children.find((child) => child.type === 'tag');
      if (first !== heading || !FURNITURE_HEADING.test(normalise($(heading).text()))) continue;
      if (normalise($(box).text()).length < 600) page.remove(box as Element);
    }
  }
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

function findTitle($: CheerioAPI, page: PageIndex, metas: Map<string, string>): string {
  const candidates = [
    () => metas.get('og:title'),
    () => {
      const [h1] = page.tag('h1');
      return h1 ? $(h1).text() : undefined;
    },
    () => {
      const [title] = page.tag('title');
      return title ? $(title).text() : undefined;
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

function findByline($: CheerioAPI, page: PageIndex): string | undefined {
  const byline =
    page.tag('a').find((link) => /(^|\s)author(\s|$)/i.test(link.attribs.rel ?? '')) ??
    page.itemprop('author')[0] ??
    page.named.find((element) =>
      /(^|\s)(byline|author-name)(\s|$)/i.test(element.attribs.class ?? ''),
    );
  const text = byline ? normalise($(byline).text()) : '';
  // "By Selin Arkan · 2 min read" → "Selin Arkan".
  const name = text.replace(/^by\s+/i, '').replace(/\s*[·•|–-]?\s*\d+\s*min(ute)?s?\s+read$/i, '');
  return name || undefined;
}

function jsonLdPublisher($: CheerioAPI, page: PageIndex): string | undefined {
  for (const script of page.tag('script')) {
    if (script.attribs.type !== 'application/ld+json') continue;
    try {
      const data = JSON.parse($(script).text()) as { publisher?: { name?: unknown } };
      if (typeof data.publisher?.name === 'string') return data.publisher.name;
    } catch {
      // ignored: the publisher is optional metadata
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
