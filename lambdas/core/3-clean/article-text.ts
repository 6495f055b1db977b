import type { CheerioAPI } from 'cheerio/slim';
import type { Element } from 'domhandler';
import {
  FURNITURE_HEADING,
  FURNITURE_TAGS,
  isContentRoot,
  isNoiseName,
  NON_CONTENT_TAGS,
  WRAPPER_SHARE,
} from './boilerplate.js';
import { mainContent } from './main-content.js';
import { closest, namesOf, type PageIndex } from './page-index.js';
import type { SiteRule } from './site-rules.js';
import { leadingText, TextMeasures } from './text-measure.js';

/**
 * One reading of a page's article text. The strict reading removes page furniture by element
 * and by class word before scoring and weighs candidates by their class names; the relaxed one
 * (Readability's retry) does neither, for pages whose builders name every box a "widget" or a
 * "module", where the strict reading removes the article with its furniture.
 */
export interface TextPass {
  readonly strict: boolean;
}

export interface ParsedPage {
  readonly $: CheerioAPI;
  readonly page: PageIndex;
}

/** The page's article paragraphs as this pass reads them (the page's tree is changed). */
export function readArticle(
  { $, page }: ParsedPage,
  title: string,
  rule: SiteRule | undefined,
  pass: TextPass,
): string[] {
  for (const selector of rule?.drop ?? []) $(selector).remove();
  const ruleContent = rule?.content
    ? $(rule.content)
        .toArray()
        .filter((node): node is Element => node.type === 'tag')
    : [];
  const measures = removeFurniture(page, pass);
  return mainContent(
    page,
    measures,
    title,
    ruleContent.filter((element) => page.attached(element)),
    pass.strict,
  );
}

const ARTICLE = new Set(['article']);

/** Removes what is not article text; returns the text measures of what is left. */
function removeFurniture(page: PageIndex, pass: TextPass): TextMeasures {
  for (const tag of NON_CONTENT_TAGS) for (const element of page.tag(tag)) page.remove(element);
  const root = page.root;
  const measures = new TextMeasures(page);
  const remove = (element: Element) => {
    measures.detach(element);
    page.remove(element);
  };
  const furniture = FURNITURE_TAGS.flatMap((tag) =>
    page
      .tag(tag)
      .filter((element) => tag !== 'header' || !closest(element.parent ?? element, ARTICLE)),
  );
  const named = pass.strict
    ? page.named.filter(
        (element) =>
          !isContentRoot(element) && isNoiseName(namesOf(element)) && page.attached(element),
      )
    : [];
  // Whether an element wraps the page is judged on the page as it came, before any removal.
  const pageText = measures.length(page.tag('body')[0] ?? root);
  const wrappers = new Set(
    [...furniture, ...named].filter(
      (element) => measures.length(element) > pageText * WRAPPER_SHARE,
    ),
  );
  for (const element of furniture) if (!wrappers.has(element)) remove(element);
  for (const element of named)
    if (!wrappers.has(element) && page.attached(element)) remove(element);
  if (!pass.strict) return measures;
  removeFurnitureBoxes(page, remove);
  return measures;
}

const SMALL_BOX_CHARS = 600;

/** Small containers led by a furniture heading (a newsletter box, a related list, an author box). */
function removeFurnitureBoxes(page: PageIndex, remove: (element: Element) => void): void {
  for (const tag of ['h2', 'h3', 'h4', 'h5', 'h6', 'strong', 'b']) {
    for (const heading of page.tag(tag)) {
      const box = heading.parent;
      if (box?.type !== 'tag' || isContentRoot(box as Element)) continue;
      const first = (box as Element).children.find((child) => child.type === 'tag');
      if (first !== heading || !FURNITURE_HEADING.test(normalise(leadingText(heading, 200))))
        continue;
      // Read no further than a small box can hold: boxes nest, and each would be read whole.
      const boxText = leadingText(box, SMALL_BOX_CHARS * 4);
      if (boxText.length < SMALL_BOX_CHARS * 4 && normalise(boxText).length < SMALL_BOX_CHARS)
        remove(box as Element);
    }
  }
}

function normalise(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
