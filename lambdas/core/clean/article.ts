import { type CheerioAPI, load } from 'cheerio/slim';
import type { AnyNode, Element } from 'domhandler';
import {
  CONTENT_ROOTS,
  isBoilerplateLine,
  NOISE_SELECTOR,
  NON_CONTENT_ELEMENTS,
} from './boilerplate.js';
import { findPageDates } from './published-date.js';

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
}

const BLOCKS = 'p, h2, h3, h4, li, blockquote, pre, td';
const MIN_PARAGRAPH_CHARS = 25;

/**
 * Extracts the article from a page: metadata first (before any element is removed), then the
 * container whose paragraphs carry the most text with the fewest links, then its paragraphs
 * without the lines that are site furniture.
 */
export function cleanHtml(html: string, url?: string, now: Date = new Date()): CleanArticle {
  const $ = load(html);
  const dates = findPageDates($, url, now);
  const canonicalUrl = absolute($('link[rel="canonical"]').attr('href'), url);
  const metadata = {
    url,
    canonicalUrl,
    title: findTitle($),
    byline: textOf(
      $,
      '[rel="author"], [itemprop="author"], .byline, .author-name, [class*="byline" i]',
    ),
    outlet:
      $('meta[property="og:site_name"]').attr('content')?.trim() ||
      jsonLdPublisher($) ||
      hostOf(url ?? canonicalUrl),
    lang: $('html').attr('lang')?.trim() || undefined,
    ...dates,
  };

  $(NON_CONTENT_ELEMENTS).remove();
  $(NOISE_SELECTOR).not(CONTENT_ROOTS).remove();
  const container = bestContainer($);
  const paragraphs = container ? paragraphsOf($, container) : [];
  return { ...metadata, text: paragraphs.join('\n\n') };
}

/** Plain text input (already clean of markup): paragraphs kept, furniture lines dropped. */
export function cleanText(text: string): string {
  return text
    .split(/\n\s*\n|\r\n\s*\r\n/)
    .map((paragraph) => paragraph.replace(/\s+/g, ' ').trim())
    .filter((paragraph) => paragraph && !isBoilerplateLine(paragraph))
    .join('\n\n');
}

function findTitle($: CheerioAPI): string {
  const candidates = [
    $('meta[property="og:title"]').attr('content'),
    $('h1').first().text(),
    $('title').text(),
  ];
  const title = candidates.map((value) => value?.replace(/\s+/g, ' ').trim()).find(Boolean) ?? '';
  return stripSiteSuffix(title);
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

/**
 * Readability's idea, simplified: every substantial paragraph credits its parent fully and its
 * grandparent half; a container's score is discounted by its link density.
 */
function bestContainer($: CheerioAPI): Element | undefined {
  const explicit = $('[itemprop="articleBody"]').first();
  if (explicit.length && textLength($, explicit.get(0)) > 200) return explicit.get(0);

  const scores = new Map<Element, number>();
  for (const paragraph of $('p').toArray()) {
    const length = normalise($(paragraph).text()).length;
    if (length < MIN_PARAGRAPH_CHARS) continue;
    const score =
      1 +
      Math.min(length / 100, 3) +
      (normalise($(paragraph).text()).match(/,/g)?.length ?? 0) * 0.1;
    const parent = paragraph.parent as Element | null;
    if (parent?.type === 'tag') scores.set(parent, (scores.get(parent) ?? 0) + score);
    const grandparent = parent?.parent as Element | null | undefined;
    if (grandparent?.type === 'tag')
      scores.set(grandparent, (scores.get(grandparent) ?? 0) + score / 2);
  }
  let best: Element | undefined;
  let bestScore = 0;
  for (const [element, score] of scores) {
    const adjusted = score * (1 - linkDensity($, element));
    if (adjusted > bestScore) {
      best = element;
      bestScore = adjusted;
    }
  }
  return best ?? $('body').get(0);
}

function paragraphsOf($: CheerioAPI, container: Element): string[] {
  const blocks = $(container).find(BLOCKS).toArray();
  const leafBlocks = blocks.filter((block) => $(block).find(BLOCKS).length === 0);
  const source = leafBlocks.length ? leafBlocks : [container];
  const lines: string[] = [];
  for (const block of source) {
    const text = normalise($(block).text());
    if (!text || isBoilerplateLine(text)) continue;
    if (text.length < 120 && linkDensity($, block) > 0.5) continue;
    if (lines.at(-1) !== text) lines.push(text);
  }
  return lines;
}

function linkDensity($: CheerioAPI, element: AnyNode): number {
  const total = textLength($, element);
  if (total === 0) return 0;
  const linked = $(element)
    .find('a')
    .toArray()
    .reduce((sum, link) => sum + normalise($(link).text()).length, 0);
  return linked / total;
}

function textLength($: CheerioAPI, element: AnyNode | undefined): number {
  return element ? normalise($(element).text()).length : 0;
}

function normalise(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
