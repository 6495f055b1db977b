import { describe, expect, it } from 'vitest';
import { cleanHtml } from '../../lambdas/core/3-clean/article.js';

const SENTENCE =
  '<p>Ankara said on Monday that the S-400 batteries were ready, and Moscow agreed.</p>';

/** Bad pages give an empty or partial text with a reason, never an exception that loses the page. */
describe('cleanHtml on bad input', () => {
  it.each([
    ['an empty document', '', 'no article text found'],
    [
      'a frameset',
      '<html><frameset cols="50%,50%"><frame src="a.html"><frame src="b.html"></frameset></html>',
      'a frameset: the article is in its frames, which are separate pages',
    ],
    [
      'a page of only scripts',
      '<html><body><script>document.write("x")</script><script>var a = 1;</script></body></html>',
      'no text in the markup: the page is built by JavaScript',
    ],
  ])('returns no text and says why for %s', (_name, html, problem) => {
    expect(cleanHtml(html)).toMatchObject({ text: '', problem });
  });

  it.each([
    ['tables', '<table><tr><td>', '</td></tr></table>'],
    ['divs', '<div>', '</div>'],
  ])('reads 10,000 levels of nested %s without exhausting the stack', (_name, open, close) => {
    const html = `<html><body>${open.repeat(10_000)}${SENTENCE}${close.repeat(10_000)}</body></html>`;
    const article = cleanHtml(html);
    expect(article.text).toContain('Ankara said on Monday that the S-400 batteries were ready');
    expect(article.problem).toMatch(/nested deeper than 256 elements/);
  });

  it('reads a 1 MB single-line minified page', () => {
    const filler = Array.from(
      { length: 14_000 },
      (_, index) => `<div class="c"><p>Filler ${index}, with a comma, and enough words.</p></div>`,
    ).join('');
    const html = `<html><body>${filler}${SENTENCE}</body></html>`;
    expect(html.length).toBeGreaterThan(1_000_000);
    expect(cleanHtml(html).text).toContain('Ankara said on Monday');
  });

  it('reads broken entities and unclosed tags as a browser would', () => {
    const article = cleanHtml(
      '<html><body><div><p>Ankara &amp Moscow agreed &#xZZ; on the S-400, said the ministry &nbsp today<p>Deliveries, <b>bold <i>it said, start soon</body>',
    );
    expect(article.text).toContain('Ankara & Moscow agreed &#xZZ; on the S-400, said the ministry');
    expect(article.text).toContain('Deliveries, bold it said, start soon');
    expect(article.problem).toBeUndefined();
  });
});
