import { type CheerioAPI, load } from 'cheerio/slim';
import type { AnyNode, Document } from 'domhandler';
import {
  FURNITURE_ELEMENTS,
  FURNITURE_HEADING,
  isBoilerplateLine,
  isContentRoot,
  isNoiseName,
  NON_CONTENT_ELEMENTS,
  WRAPPER_SHARE,
} from './boilerplate.js';
import { flattenDeepNodes, MAX_DEPTH } from './dom-depth.js';
import { mainContent } from './main-content.js';
import { findPageDates } from './published-date.js';
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

const _BLOCKS = 'p, h2, h3, h4, li, blockquote, pre, td';
const _MIN_PARAGRAPH_CHARS = 25;

/**
 * Extracts the article from a page: metadata first (before any element is removed), then the
 * container whose paragraphs carry the most text with the fewest links, then its paragraphs
 * without the lines that are site furniture.
 */
export function cleanHtml(html: string, url?: string, now: Date = new Date()): CleanArticle {
  const $ = load(html);
  const truncated = flattenDeepNodes($.root().get(0) as Document);
  const dates = findPageDates($, url, now);
  const canonicalUrl = absolute($('link[rel="canonical"]').attr('href'), url);
  const metadata = {
    url,
    canonicalUrl,
    title: findTitle($),
    byline: textOf($, '[rel="author"], [itemprop="author"], .byline, .author-name'),
    outlet:
      $('meta[property="og:site_name"]').attr('content')?.trim() ||
      jsonLdPublisher($) ||
      hostOf(url ?? canonicalUrl),
    lang: $('html').attr('lang')?.trim() || undefined,
    ...dates,
  };

  const hadScripts = $('script').length > 0;
  $(NON_CONTENT_ELEMENTS).remove();
  const lengths = textLengths($.root().get(0) as Document);
  const pageText = lengths.get(($('body').get(0) ?? $.root().get(0)) as AnyNode) ?? 0;
  const isWrapper = (element: AnyNode) => (lengths.get(element) ?? 0) > pageText * WRAPPER_SHARE;
  $(FURNITURE_ELEMENTS)
    .filter((_, element) => !isWrapper(element))
    .remove();
  $('[class], [id]')
    .filter(
      (_, element) =>
        !isContentRoot(element) &&
        isNoiseName(element.attribs.class ?? '', element.attribs.id ?? '') &&
        !isWrapper(element),
    )
    .remove();
  const frames = $('frameset frame[src], body > iframe[src]').toArray();
  const scripted = hadScripts;
  removeFurnitureBoxes($);
  const text = mainContent($, metadata.title).join('\n\n');
  return { ...metadata, text, problem: problemOf(text, truncated, frames.length > 0, scripted) };
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
function removeFurnitureBoxes($: CheerioAPI): void {
  $('h2, h3, h4, h5, h6, strong, b')
    .filter((_, heading) => FURNITURE_HEADING.test(normalise($(heading).text())))
    .each((_, heading) => {
      const box = $(heading).parent();
      const container = box.get(0);
      if (
        container?.type !== 'tag' ||
        isContentRoot(container) ||
        box.children().first().get(0) !== heading
      )
        return;
      if (normalise(box.text()).length < 600) box.remove();
    });
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

function findTitle($: CheerioAPI): string {
  const candidates = [
    () => $('meta[property="og:title"]').attr('content'),
    () => $('h1').first().text(),
    () => $('title').text(),
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

function textOf($: CheerioAPI, selector: string): string | undefined {
  const text = $(selector).first().text().replace(/\s+/g, ' ').trim();
  return text ? text.replace(/^by\s+/i, '') : undefined;
}

function jsonLdPublisher($: CheerioAPI): string | undefined {
  for (const script of $('script[type="application/ld+json"]').toArray()) {
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

function absolute(href: string | undefined, base: string | undefined): string | undefined {
  if (!href) return undefined;
  try {
    return new URL(href, base).href;
  } catch {
    return undefined;
  }
}

function normalise(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
