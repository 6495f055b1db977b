import type { AnyNode, Document, Element } from 'domhandler';
import { END_OF_ARTICLE, isBoilerplateLine } from './boilerplate.js';
import { letters } from './headline.js';
import { namesOf, type PageIndex } from './page-index.js';
import type { TextMeasures } from './text-measure.js';

/** Elements that flow inside a paragraph; every other element starts a new block. */
const INLINE = new Set([
  'a',
  'abbr',
  'b',
  'bdi',
  'bdo',
  'big',
  'cite',
  'code',
  'data',
  'del',
  'dfn',
  'em',
  'font',
  'i',
  'ins',
  'kbd',
  'label',
  'mark',
  'nobr',
  'q',
  's',
  'samp',
  'small',
  'span',
  'strike',
  'strong',
  'sub',
  'sup',
  'time',
  'tt',
  'u',
  'var',
  'wbr',
]);
/** Media and their captions and credits: not body text. */
const SKIPPED = new Set([
  'figure',
  'figcaption',
  'picture',
  'img',
  'video',
  'audio',
  'source',
  'track',
  'map',
  'object',
  'embed',
  'button',
  'select',
  'option',
  'textarea',
  'input',
]);
const POSITIVE_NAME = /article|body|content|entry|main|page|post|text|blog|story/i;
const NEGATIVE_NAME =
  /comment|footer|footnote|masthead|media|meta|outbrain|promo|related|scroll|shoutbox|sidebar|sponsor|shopping|tags|tool|widget|hidden|caption|credit/i;
const MIN_PARAGRAPH_CHARS = 25;

interface Block {
  text: string;
  linkChars: number;
}

/**
 * The article's paragraphs, Readability's way with the improvements its successors found:
 * every run of inline text of 25+ characters is a paragraph (in a <p>, or loose in a <div>
 * between <br>s); it credits its ancestors (parent fully, grandparent half, further ones
 * less); a candidate's score is weighted by its tag and class and discounted by its link
 * density; the best candidate is taken with the siblings that score near it; its text is read
 * block by block, dropping link-dense blocks and furniture lines.
 */
export function mainContent(
  page: PageIndex,
  measures: TextMeasures,
  title: string,
  ruleContent: Element[] = [],
  weighNames = true,
): string[] {
  const root: Element | Document = page.tag('body')[0] ?? page.root;
  const length = (element: AnyNode) => measures.length(element);
  const explicit = outermost(ruleContent.length ? ruleContent : page.itemprop('articleBody'));
  if (explicit.reduce((sum, element) => sum + length(element), 0) > 0) {
    // The publisher marked the body (itemprop="articleBody"): a "Related" label inside it
    // labels a card within the article, not its end. A site rule's selector is ours, not theirs.
    const text = keptLines(
      explicit.flatMap((element) => blocksOf(element)),
      title,
      ruleContent.length > 0,
    );
    if (text.join(' ').length > 200) return text;
  }
  const scores = scoreCandidates(root as Element, weighNames);
  const linkDensity = (element: Element) => measures.linkDensity(element);
  let top: Element | undefined;
  let topScore = 0;
  for (const [element, score] of scores) {
    const adjusted = score * (1 - linkDensity(element));
    scores.set(element, adjusted);
    if (adjusted > topScore) {
      top = element;
      topScore = adjusted;
    }
  }
  if (!top) return keptLines(blocksOf(root as Element), title);
  // A candidate that is all of its parent's text is its parent: climbing lets an article split
  // into sibling chunks (between ads) be joined as the siblings of one chunk.
  while (top.parent?.type === 'tag' && (top.parent as Element).name !== 'body') {
    const parent = top.parent as Element;
    if (length(top) < length(parent) * 0.98) break;
    top = parent;
    topScore = Math.max(topScore, scores.get(parent) ?? 0);
  }
  const chosen = keptLines(
    withSiblings(top, topScore, scores, linkDensity).flatMap((element) => blocksOf(element)),
    title,
  );
  return wholerArticle(top, chosen, title, measures) ?? chosen;
}

const ARTICLE_CONTAINERS = new Set(['article', 'main']);
/** The pick is part of the article when the article element around it reads this much longer. */
const WHOLE_ARTICLE_GAIN = 3;
/**
 * An <article> element is the publisher's own word for where the article is, as <main> and
 * ancestors are not (a <main> holds sidebars too): half again as long as the pick is enough.
 * Measured on wcxb-dev tuned/held-out word F1 (3 for all: 0.922/0.938; 1.5 for <article>:
 * 0.924/0.941; 1.5 for <main> as well lost 0.005 on the extraction benchmark's tuned half).
 */
const ARTICLE_ELEMENT_GAIN = 1.5;
const ARTICLE_LINK_DENSITY = 0.25;
/**
 * Page builders wrap each section in a section, a grid, a cell and a text box: the page's own
 * box is five levels above a section's paragraphs (3 levels read 0.912/0.932 word F1 on the
 * tuned/held-out halves of wcxb-dev, 6 read 0.917/0.938; more gain nothing).
 */
const ANCESTOR_LEVELS = 6;

/**
 * The article element around the pick (`<article>`, `<main>`, role="main"; else the nearest of
 * its few ancestors that reads long enough), read whole, when the pick is a small part of it:
 * a listicle's sections or an article split by headings score as separate blocks, and the best of them is one section. Not when the element is mostly links
 * (a page that wraps everything in <main>).
 */
function wholerArticle(
  top: Element,
  chosen: readonly string[],
  title: string,
  measures: TextMeasures,
): string[] | undefined {
  const linkDensity = (element: Element) => measures.linkDensity(element);
  const length = (lines: readonly string[]) => lines.reduce((sum, line) => sum + line.length, 0);
  const wanted = length(chosen) * WHOLE_ARTICLE_GAIN;
  // Kept lines are the element's text less furniture, with single spaces between words: an
  // element whose text is not far over the wanted length cannot read long enough.
  const mayRead = (element: Element) => measures.length(element) * 1.5 >= wanted;
  let container: Element | undefined;
  for (let node = top.parent; node?.type === 'tag'; node = node.parent) {
    const element = node as Element;
    if (ARTICLE_CONTAINERS.has(element.name) || element.attribs.role === 'main') {
      container = element;
      break;
    }
  }
  if (!container) {
    // Without one, a few levels of the pick's own ancestors, nearest first: page builders
    // wrap each section in boxes of their own. Each level read is bounded by the page.
    let node = top.parent;
    for (
      let level = 0;
      level < ANCESTOR_LEVELS && node?.type === 'tag';
      level += 1, node = node.parent
    ) {
      const element = node as Element;
      if (element.name === 'body' || element.name === 'html') break;
      if (linkDensity(element) > ARTICLE_LINK_DENSITY || !mayRead(element)) continue;
      const whole = keptLines(blocksOf(element), title);
      if (length(whole) >= wanted) return whole;
    }
    return undefined;
  }
  const wantedWhole = container.name === 'article' ? length(chosen) * ARTICLE_ELEMENT_GAIN : wanted;
  if (
    linkDensity(container) > ARTICLE_LINK_DENSITY ||
    measures.length(container) * 1.5 < wantedWhole
  )
    return undefined;
  const whole = keptLines(blocksOf(container), title);
  return length(whole) >= wantedWhole ? whole : undefined;
}

function scoreCandidates(root: Element, weighNames: boolean): Map<Element, number> {
  const scores = new Map<Element, number>();
  const credit = (element: Element, amount: number) => {
    if (!scores.has(element)) scores.set(element, initialScore(element, weighNames));
    scores.set(element, (scores.get(element) ?? 0) + amount);
  };
  walkElements(root, (element) => {
    // Inline text is its block's: a <span class="text-…"> is not a candidate of its own.
    if (INLINE.has(element.tagName)) return;
    const own = ownInlineText(element, MIN_PARAGRAPH_CHARS);
    if (own.length < MIN_PARAGRAPH_CHARS) return;
    const score = 1 + Math.min(Math.floor(own.length / 100), 3) + own.split(/[,，、]/).length - 1;
    let ancestor = element.tagName === 'p' ? element.parent : element;
    for (let level = 0; level < 5 && ancestor && ancestor.type === 'tag'; level += 1) {
      credit(
        ancestor as Element,
        level === 0 ? score : level === 1 ? score / 2 : score / (level * 3),
      );
      ancestor = ancestor.parent;
    }
  });
  return scores;
}

function initialScore(element: Element, weighNames: boolean): number {
  const tag = element.tagName;
  let score = tag === 'div' || tag === 'article' || tag === 'section' || tag === 'main' ? 5 : 0;
  if (tag === 'pre' || tag === 'td' || tag === 'blockquote') score += 3;
  if (['address', 'ol', 'ul', 'dl', 'dd', 'dt', 'li', 'form'].includes(tag)) score -= 3;
  if (/^h[1-6]$|^th$/.test(tag)) score -= 5;
  if (!weighNames) return score;
  const names = namesOf(element);
  if (NEGATIVE_NAME.test(names)) score -= 25;
  if (POSITIVE_NAME.test(names)) score += 25;
  return score;
}

/** The top candidate and the siblings that look like more of the same article. */
function withSiblings(
  top: Element,
  topScore: number,
  scores: Map<Element, number>,
  linkDensity: (element: Element) => number,
): Element[] {
  const parent = top.parent;
  if (parent?.type !== 'tag') return [top];
  const threshold = Math.max(10, topScore * 0.3);
  const names = (element: Element) => `${element.attribs.class ?? ''}`;
  return (parent as Element).children.filter((child): child is Element => {
    if (child === top) return true;
    if (child.type !== 'tag') return false;
    const element = child as Element;
    const bonus = names(element) && names(element) === names(top) ? topScore * 0.2 : 0;
    if ((scores.get(element) ?? 0) + bonus >= threshold && linkDensity(element) < 0.3) return true;
    if (element.tagName !== 'p') return false;
    const text = ownInlineText(element);
    const density = linkDensity(element);
    return (
      (text.length > 80 && density < 0.25) ||
      (text.length > 0 && density === 0 && /\.( |$)/.test(text))
    );
  });
}

/** The paragraphs of these elements, without furniture lines, the headline or a second copy. */
export function paragraphsOf(elements: readonly Element[], title: string): string[] {
  return keptLines(
    elements.flatMap((element) => blocksOf(element)),
    title,
  );
}

/** The element's text as paragraphs: blocks broken at block elements and <br>, furniture dropped. */
function blocksOf(element: Element): Block[] {
  const blocks: Block[] = [];
  let current: Block = { text: '', linkChars: 0 };
  const flush = () => {
    if (current.text.trim()) blocks.push(current);
    current = { text: '', linkChars: 0 };
  };
  const visit = (node: AnyNode, inLink: boolean) => {
    if (node.type === 'text') {
      current.text += node.data;
      if (inLink) current.linkChars += node.data.trim().length;
      return;
    }
    if (node.type !== 'tag') return;
    const tag = node.tagName;
    if (SKIPPED.has(tag) && !(tag === 'figure' && holdsText(node))) return;
    if (tag === 'br') return flush();
    const inline = INLINE.has(tag);
    if (!inline) flush();
    for (const child of node.children) visit(child, inLink || tag === 'a');
    if (!inline) flush();
  };
  visit(element, false);
  flush();
  return blocks.map((block) => ({ ...block, text: normalise(block.text) }));
}

/** What a figure holds when it is text rather than media. */
const TEXT_FIGURES = new Set(['table', 'blockquote']);

/**
 * Whether a figure holds text: block editors wrap tables and pull quotes in <figure>
 * (WordPress's wp-block-table and wp-block-pullquote), and those are the article's own words.
 */
function holdsText(figure: Element): boolean {
  const stack: AnyNode[] = [...figure.children];
  while (stack.length) {
    const node = stack.pop();
    if (node?.type !== 'tag') continue;
    if (TEXT_FIGURES.has((node as Element).name)) return true;
    stack.push(...(node as Element).children);
  }
  return false;
}

/**
 * The blocks that are body text: not furniture lines, not link lists, not the headline again,
 * and the article once.
 */
function keptLines(blocks: readonly Block[], title: string, endAtRelated = true): string[] {
  const headline = letters(title);
  // Only a block about the headline's length can be the headline (letters() is costly).
  const mayBeHeadline = (text: string) =>
    text.length >= headline.length && text.length <= title.length * 2 + 20;
  const lines: string[] = [];
  let chars = 0;
  for (const block of blocks) {
    const text = block.text;
    // "Related articles", "Você pode gostar…": what follows such a heading is not the article,
    // once there is an article before it (a page may open with such a heading).
    if ((lines.length >= 3 || chars >= 400) && END_OF_ARTICLE.test(text)) {
      if (endAtRelated) break;
      continue;
    }
    if (!text || isBoilerplateLine(text) || (mayBeHeadline(text) && letters(text) === headline))
      continue;
    if (text.length < 160 && block.linkChars / text.length > 0.5) continue;
    // The first paragraph again is the article again (pages often carry it twice, for mobile
    // and desktop); other repeats are the article's own ("Eat every 2–3 hours" in each meal).
    // Right after itself it is a summary above the body that the body opens with.
    if (text === lines[0]) {
      if (lines.length === 1) continue;
      break;
    }
    lines.push(text);
    chars += text.length;
  }
  return lines;
}

function walkElements(element: Element, visit: (element: Element) => void): void {
  visit(element);
  for (const child of element.children)
    if (child.type === 'tag') walkElements(child as Element, visit);
}

/** Text of the element's own inline content: text nodes and inline children, not child blocks. */
function ownInlineText(element: Element, minChars = 0): string {
  let text = '';
  for (const child of element.children) {
    if (child.type === 'text') text += child.data;
    else if (child.type === 'tag' && INLINE.has(child.tagName))
      text += inlineText(child as Element);
  }
  // Shorter than wanted however it is spaced: not worth normalising.
  return text.length < minChars ? '' : normalise(text);
}

/** Text of an inline element, without blocks inside it (those are paragraphs of their own). */
function inlineText(element: Element): string {
  let text = '';
  for (const child of element.children) {
    if (child.type === 'text') text += child.data;
    else if (child.type === 'tag' && INLINE.has(child.tagName))
      text += inlineText(child as Element);
  }
  return text;
}

/** The elements that are not inside another of them: nested ones would be read twice. */
function outermost(elements: readonly Element[]): Element[] {
  const chosen = new Set(elements);
  return elements.filter((element) => {
    for (let node = element.parent; node; node = node.parent)
      if (chosen.has(node as Element)) return false;
    return true;
  });
}

function normalise(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
