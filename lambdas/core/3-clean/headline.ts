import type { Element } from 'domhandler';
import type { PageIndex } from './page-index.js';
import { leadingText } from './text-measure.js';

/** Longer than any headline: headings nest, and each would be read whole. */
const HEADING_CHARS = 1_000;

/** Letters and digits only, lower-cased: "Só quem se Ama…" is the headline "Só quem se Ama...". */
export function letters(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

/**
 * The element that shows the article's headline: the first <h1> (or <h2>) that reads as the
 * page's title, else the first <h1> that is not just a link (sites put their logo in an <h1>).
 */
export function findHeadline(page: PageIndex, title: string): Element | undefined {
  const wanted = letters(title);
  const headings = [...page.tag('h1'), ...page.tag('h2')];
  const matching = headings.find((heading) => {
    const text = letters(leadingText(heading, HEADING_CHARS));
    return (
      text.length >= 10 && wanted.length >= 10 && (wanted.includes(text) || text.includes(wanted))
    );
  });
  return matching ?? page.tag('h1').find((heading) => !isOnlyLink(heading));
}

function isOnlyLink(heading: Element): boolean {
  const text = letters(leadingText(heading, HEADING_CHARS));
  const linked = heading.children
    .filter((child): child is Element => child.type === 'tag' && child.name === 'a')
    .map((link) => letters(leadingText(link, HEADING_CHARS)))
    .join('');
  return text === '' || linked === text;
}
