import type { Element } from 'domhandler';
import { textContent } from 'domutils';
import type { PageIndex } from './page-index.js';

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
    const text = letters(textContent(heading));
    return (
      text.length >= 10 && wanted.length >= 10 && (wanted.includes(text) || text.includes(wanted))
    );
  });
  return matching ?? page.tag('h1').find((heading) => !isOnlyLink(heading));
}

function isOnlyLink(heading: Element): boolean {
  const text = letters(textContent(heading));
  const linked = heading.children
    .filter((child): child is Element => child.type === 'tag' && child.name === 'a')
    .map((link) => letters(textContent(link)))
    .join('');
  return text === '' || linked === text;
}
