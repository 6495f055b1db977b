import { describe, expect, it } from 'vitest';
import { cleanHtml } from '../../lambdas/core/3-clean/article.js';
import { pageDay, toInstant } from '../../lambdas/core/3-clean/published-date.js';

const NOW = new Date('2026-01-01T00:00:00Z');

/** Paragraphs of distinct, article-like prose (each ends with its number, so none repeats). */
function paragraphs(count: number, from = 1): string[] {
  return Array.from(
    { length: count },
    (_, index) =>
      `The ministry said the batteries had been tested at the range, and officials added that training of the crews would continue through the autumn, paragraph ${from + index}.`,
  );
}

const tags = (lines: readonly string[]) => lines.map((line) => `<p>${line}</p>`).join('');

/** How the cleaner decides between readings of a page, and falls back rather than give nothing. */
describe('cleanHtml choosing its reading', () => {
  it('retries relaxed when class words remove the whole article (a builder names every box a widget)', () => {
    const sections = [paragraphs(2, 1), paragraphs(2, 3), paragraphs(2, 5)];
    const html = `<html><body><h1>Turkey takes delivery of the batteries</h1>${sections
      .map((lines) => `<div class="builder-widget"><div class="box">${tags(lines)}</div></div>`)
      .join('')}<div class="site-menu"><a href="/">Home</a></div></body></html>`;
    const text = cleanHtml(html, undefined, NOW).text;
    for (const line of sections.flat()) expect(text).toContain(line);
  });

  it('reads the whole <article> when the best-scoring block is one of its sections', () => {
    // A listicle: each item its own box, the first longer, numbered headings between them.
    const items = [paragraphs(3, 1), ...[4, 5, 6, 7, 8, 9].map((from) => paragraphs(1, from))];
    const html = `<html><body><nav><a href="/">Home</a></nav><article><h1>The seven best systems</h1>${items
      .map(
        (lines, index) =>
          `<section><h2>${index + 1}. System ${index + 1}</h2><div class="item-${index}"><div class="text">${tags(lines)}</div></div></section>`,
      )
      .join('')}</article><footer><p>Example News</p></footer></body></html>`;
    const text = cleanHtml(html, undefined, NOW).text;
    for (const line of items.flat()) expect(text).toContain(line);
    expect(text).toContain('7. System 7');
    expect(text).not.toContain('Example News');
  });

  it('reads the sections a page builder boxes apart, without an article element', () => {
    const rows = [paragraphs(3, 1), ...[4, 5, 6, 7, 8, 9].map((from) => paragraphs(1, from))];
    const html = `<html><body><div class="menu"><a href="/">Home</a></div><div class="page">${rows
      // Builders give each box its own class ("row-4f2a") and nest it deep: no two sections
      // look alike, and the page's box is too far up to be credited by their paragraphs.
      .map(
        (lines, index) =>
          `<div class="row-${index}a"><div class="col"><div class="w"><div class="w"><div class="txt">${tags(lines)}</div></div></div></div></div>`,
      )
      .join(
        '',
      )}</div><div class="copyright"><p>Example News, all rights reserved.</p></div></body></html>`;
    const text = cleanHtml(html, undefined, NOW).text;
    for (const line of rows.flat()) expect(text).toContain(line);
    expect(text).not.toContain('all rights reserved');
  });

  it("reads a builder's sections nested six boxes deep (section, container, grid, cell, text box, body)", () => {
    const rows = [paragraphs(3, 1), ...[4, 5, 6, 7, 8, 9].map((from) => paragraphs(1, from))];
    const html = `<html><body><div class="menu"><a href="/">Home</a></div><div class="canvas">${rows
      .map(
        (lines, index) =>
          `<section class="band-${index}"><div class="container"><div class="grid"><div class="cell"><img src="/${index}.jpg" alt=""></div><div class="cell"><div class="text-box"><div class="title"><h2>How the crews trained, in the words of the ministry, part ${index + 1}</h2></div><div class="body">${tags(lines)}</div></div></div></div></div></section>`,
      )
      .join(
        '',
      )}</div><div class="copyright"><p>Example News, all rights reserved.</p></div></body></html>`;
    const text = cleanHtml(html, undefined, NOW).text;
    for (const line of rows.flat()) expect(text).toContain(line);
    expect(text).not.toContain('all rights reserved');
  });

  it('reads a table or a pull quote that a block editor wraps in a <figure>, and still skips photos and captions', () => {
    const body = paragraphs(3);
    const quote =
      '<figure class="pullquote"><blockquote><p>Training of the crews will go on through the winter.</p></blockquote><figcaption>A ministry spokesman</figcaption></figure>';
    const table =
      '<figure class="wp-block-table"><table><tbody><tr><td>Rank</td><td>Company</td></tr><tr><td>1</td><td>Harbour Mutual Group</td></tr></tbody></table><figcaption>Source: the ministry</figcaption></figure>';
    const photo =
      '<figure><img src="/a.jpg" alt=""><figcaption>The batteries at the range</figcaption></figure>';
    const html = `<html><body><h1>Turkey takes delivery</h1><div class="content">${tags(body.slice(0, 2))}${table}${photo}${quote}${tags(body.slice(2))}</div></body></html>`;
    const text = cleanHtml(html, undefined, NOW).text;
    expect(text).toContain('Harbour Mutual Group');
    expect(text).toContain('Training of the crews will go on through the winter.');
    expect(text).not.toContain('Source: the ministry');
    expect(text).not.toContain('The batteries at the range');
    for (const line of body) expect(text).toContain(line);
  });

  it('reads the whole <article> when its deep-nested blocks score apart, though the pick is most of it', () => {
    const first = paragraphs(4, 1);
    const second = paragraphs(3, 5);
    // Each block its own class and boxes: the second scores far below the first.
    const block = (lines: readonly string[], id: string) =>
      `<div class="block-${id}"><div class="row"><div class="col"><div class="content"><div class="html">${tags(lines)}</div></div></div></div></div>`;
    const html = `<html><body><div class="menu"><a href="/">Home</a></div><article class="h-entry"><h1>Turkey takes delivery</h1><div class="col"><div id="block-video" class="sqs-block"><div class="sqs-block-content"><p>Prefer to watch?</p></div></div>${block(first, 'a1')}<div id="block-promo" class="sqs-block"><div class="sqs-block-content"><a href="/x">Featured</a></div></div>${block(second, 'b2')}</div></article><div class="copyright"><p>Example News, all rights reserved.</p></div></body></html>`;
    const text = cleanHtml(html, undefined, NOW).text;
    for (const line of [...first, ...second]) expect(text).toContain(line);
    expect(text).not.toContain('all rights reserved');
  });

  it('reads on past a "Related" card inside the body the publisher marked (itemprop=articleBody)', () => {
    const first = paragraphs(3, 1);
    const second = paragraphs(3, 4);
    const card =
      '<div class="card"><span>Related</span><h5><a href="/other">Another story</a></h5></div>';
    const html = `<html><body><h1>Turkey takes delivery</h1><div itemprop="articleBody">${tags(first)}${card}${tags(second)}</div></body></html>`;
    expect(cleanHtml(html, undefined, NOW).text.split('\n\n')).toEqual([...first, ...second]);
  });

  it("takes the publisher's JSON-LD articleBody when the page shows only a teaser", () => {
    const body = paragraphs(6);
    const jsonLd = JSON.stringify({
      '@context': 'https://schema.org',
      '@type': 'NewsArticle',
      headline: 'Turkey takes delivery',
      articleBody: body.join('\n\n'),
    });
    const html = `<html><head><script type="application/ld+json">${jsonLd}</script></head><body><h1>Turkey takes delivery</h1><p>${body[0]}</p><div class="paywall"><p>Subscribe to read the rest.</p></div></body></html>`;
    expect(cleanHtml(html, undefined, NOW).text.split('\n\n')).toEqual(body);
  });

  it('keeps a short article that the visible page carries whole', () => {
    const body = paragraphs(2);
    const html = `<html><head><script type="application/ld+json">${JSON.stringify({ '@type': 'NewsArticle', articleBody: body.join(' ') })}</script></head><body><article><h1>Short news</h1>${tags(body)}</article></body></html>`;
    expect(cleanHtml(html, undefined, NOW).text.split('\n\n')).toEqual(body);
  });

  it('skips a summary above the body that repeats its first paragraph, and reads on', () => {
    const body = paragraphs(4);
    const html = `<html><body><h1>Turkey takes delivery</h1><div class="story"><p class="summary">${body[0]}</p><div class="content">${tags(body)}</div></div></body></html>`;
    expect(cleanHtml(html, undefined, NOW).text.split('\n\n')).toEqual(body);
  });

  it('still stops at the second copy of an article carried twice', () => {
    const body = paragraphs(3);
    const html = `<html><body><div class="content">${tags(body)}${tags(body)}</div></body></html>`;
    expect(cleanHtml(html, undefined, NOW).text.split('\n\n')).toEqual(body);
  });
});

describe('cleanHtml dates', () => {
  it('dates a page that gives only its modification date by it', () => {
    const html = `<html><head><meta property="article:modified_time" content="2019-07-18T09:00:00+03:00"></head><body><h1>Turkey takes delivery</h1>${tags(paragraphs(3))}</body></html>`;
    expect(cleanHtml(html, undefined, NOW)).toMatchObject({
      publishedAt: '2019-07-18T09:00:00+03:00',
      modifiedAt: '2019-07-18T09:00:00+03:00',
    });
  });

  it("keeps the page's own calendar day when the date is stored (01:00+03:00 on 12 July is 12 July)", () => {
    const html = `<html><head><meta property="article:published_time" content="2019-07-12T01:00:00+03:00"></head><body><h1>Turkey takes delivery</h1>${tags(paragraphs(3))}</body></html>`;
    const { publishedAt } = cleanHtml(html, undefined, NOW);
    expect(publishedAt).toBe('2019-07-12T01:00:00+03:00');
    expect(pageDay(publishedAt ?? '')).toBe('2019-07-12');
    expect(toInstant(publishedAt ?? '')).toBe('2019-07-11T22:00:00.000Z');
  });

  it('reads an ambiguous structured date (03-09-2019) the way round the page shows it', () => {
    const page = (shown: string) =>
      `<html><head><meta property="article:published_time" content="03-09-2019"></head><body><h1>Turkey takes delivery</h1><p class="byline-date">${shown}</p>${tags(paragraphs(3))}</body></html>`;
    expect(cleanHtml(page('Published March 9, 2019'), undefined, NOW).publishedAt).toBe(
      '2019-03-09',
    );
    // Shown nowhere, or shown as another day: read day first, as before.
    expect(cleanHtml(page('By the desk'), undefined, NOW).publishedAt).toBe('2019-09-03');
    expect(cleanHtml(page('Published May 1, 2019'), undefined, NOW).publishedAt).toBe('2019-09-03');
  });

  it.each([
    ['2019-07-11T22:30:00-05:00', '2019-07-12T03:30:00.000Z'],
    ['2019-07-12T01:00:00Z', '2019-07-12T01:00:00.000Z'],
    ['2019-07-12T01:00:00+00:00', '2019-07-12T01:00:00.000Z'],
    ['2019-07-12T01:00:00', '2019-07-12T01:00:00.000Z'],
    ['2019-07-12', '2019-07-12T00:00:00.000Z'],
  ])('stores %s as %s', (date, stored) => {
    expect(toInstant(date)).toBe(stored);
  });
});
