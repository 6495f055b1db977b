import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeBody } from '../../lambdas/core/2-fetch/charset.js';
import { cleanHtml, cleanText } from '../../lambdas/core/3-clean/article.js';
import { SAMPLE_SITE_DIR } from '../../local/project-paths.js';

/** Each sample outlet dates its pages differently: JSON-LD, Open Graph, <time>, visible text + URL. */
const GOLDEN = [
  {
    page: 'meridian-defence/news/first-s400-parts-arrive-murted-ankara.html',
    title: 'First S-400 components land in Turkey at Murted air base near Ankara',
    outlet: 'Meridian Defence Journal',
    byline: 'Selin Arkan',
    publishedAt: '2019-07-12T13:40:00+03:00',
    first: /^The first components of Russia's S-400 air-defence system arrived in Turkey on Friday/,
  },
  {
    page: 'northgate-wire/story/19904-pentagon-suspends-turkey-f35.html',
    title: 'Pentagon suspends Turkey from F-35 programme, wind-down by March 2020',
    outlet: 'Northgate Security Wire',
    publishedAt: '2019-07-17T19:20:00Z',
    first: /^The Pentagon said on Wednesday it was suspending Turkey from the F-35/,
  },
  {
    page: 'steppe-gazette/world/white-house-s400-f35-impossible.html',
    title: expect.stringMatching(/^White House says S-400 makes Turkey's F-35/),
    outlet: '127.0.0.1',
    publishedAt: '2019-07-17T21:05:00+00:00',
    first: /^The White House said on Wednesday that Turkey's acceptance/,
  },
  {
    page: 'aegean-ledger/2019/07/18/ankara-f35-decision-mistake.html',
    title: expect.stringMatching(/^Ankara calls US decision to drop Turkey from F-35/),
    outlet: '127.0.0.1',
    publishedAt: '2019-07-18T10:42:00',
    first: /^Ankara on Thursday called Washington's decision/,
  },
];

const FURNITURE =
  /^(read more|read also|share on|be the first to comment|subscribe|sign up|©|accept cookies)/im;
const NOW = new Date('2026-01-01T00:00:00Z');

function load(page: string): string {
  const bytes = readFileSync(join(SAMPLE_SITE_DIR, page));
  return decodeBody(bytes, 'text/html').replaceAll('{{origin}}', 'http://127.0.0.1:8080');
}

function articlePages(): string[] {
  return readdirSync(SAMPLE_SITE_DIR, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.html') && !file.endsWith('index.html'))
    .sort();
}

describe('cleanHtml on the sample outlets', () => {
  it.each(GOLDEN)('$page: title, outlet, date and lead', ({ page, first, ...expected }) => {
    const article = cleanHtml(load(page), undefined, NOW);
    expect(article).toMatchObject(expected);
    // The lead is the first paragraph, or the second after a standfirst.
    const opening = article.text.split('\n\n').slice(0, 2);
    expect(opening.some((paragraph) => first.test(paragraph))).toBe(true);
    expect(article.text).not.toContain(expected.title);
  });

  it.each(articlePages())('%s: keeps the body and none of the page furniture', (page) => {
    const { text } = cleanHtml(load(page), undefined, NOW);
    expect(text.split(/\s+/).length).toBeGreaterThan(150);
    expect(text).not.toMatch(FURNITURE);
    expect(text).not.toMatch(/Facebook|WhatsApp|newsletter|All rights reserved/i);
  });

  it('rejects dates in the future or before 1995', () => {
    const page = (date: string) =>
      `<html><head><meta property="article:published_time" content="${date}"></head><body><p>x</p></body></html>`;
    expect(cleanHtml(page('2030-01-01T00:00:00Z'), undefined, NOW).publishedAt).toBeUndefined();
    expect(cleanHtml(page('1990-05-01T00:00:00Z'), undefined, NOW).publishedAt).toBeUndefined();
  });
});

describe('cleanText', () => {
  it('drops blurbs, source lines, comment prompts, run-together tag clouds and a leading kicker', () => {
    const text = [
      'Turkey, S-400 systems',
      'Ankara confirms the delivery schedule',
      'Turkish officials said on Monday that the first battery would arrive in July.',
      'Follow us on every device. Our pages work on phones and tablets, and our newsletter brings the news to you.',
      'Sources: Wire services',
      'your comment',
      'air defence systemAnkaradeliveryKremlinMoscowS-400',
      'The ministry did not give a date for the second battery.',
    ].join('\n');
    expect(cleanText(text).split('\n\n')).toEqual([
      'Ankara confirms the delivery schedule',
      'Turkish officials said on Monday that the first battery would arrive in July.',
      'The ministry did not give a date for the second battery.',
    ]);
  });

  it('drops furniture lines from plain text and keeps the paragraphs', () => {
    const text =
      'Subscribe to our channel\n\nAnkara confirmed the order.\n\nRead more: Other story\n\nIt was signed in 2017.';
    expect(cleanText(text)).toBe('Ankara confirmed the order.\n\nIt was signed in 2017.');
  });
});

describe('cleanHtml on page shapes that mislead a block scorer', () => {
  const LEAD =
    'Turkey received the first parts of the S-400 system on Friday, the defence ministry said, and more flights were expected over the weekend.';
  const SECOND =
    'The delivery went ahead despite warnings from Washington, which has said Turkey cannot have both the S-400 and the F-35.';

  it('reads text loose in a <div> beside a meta line whose class names it "text"', () => {
    const html = `<html><body><div class="col"><p class="title">Parts arrive</p>
      <small class="text-muted">12/07/2019 - Posted by: A. Writer - Category: <a href="/c">Defence</a></small><br><br>
      <img src="a.jpg">${LEAD} ${SECOND}<br><br></div></body></html>`;
    expect(cleanHtml(html).text).toContain(LEAD);
  });

  it('drops the byline and date lines above the body, not a sentence that starts with "By"', () => {
    const html = `<html><body><article><h1>Parts arrive</h1><div>By A. Staff Writer</div>
      <div>Wednesday, July 17, 2019</div><p>${LEAD}</p><p>By the end of 2019, Turkey will have received both batteries of the system.</p>
      <p>${SECOND}</p></article></body></html>`;
    expect(cleanHtml(html).text.split('\n\n')).toEqual([
      LEAD,
      'By the end of 2019, Turkey will have received both batteries of the system.',
      SECOND,
    ]);
  });

  it('keeps an article carried twice once, and the lines an article itself repeats', () => {
    const meal = (name: string) => `<h3>${name}</h3><p>Eat every 2–3 hours</p>`;
    const body = `<p>${LEAD}</p><p>${SECOND}</p>${meal('Meal 1')}${meal('Meal 2')}`;
    const html = `<html><body><div class="mobile">${body}</div><div class="desktop">${body}</div></body></html>`;
    const paragraphs = cleanHtml(html).text.split('\n\n');
    expect(paragraphs.filter((paragraph) => paragraph === LEAD)).toHaveLength(1);
    expect(paragraphs.filter((paragraph) => paragraph === 'Eat every 2–3 hours')).toHaveLength(2);
  });

  it('drops the headline however its punctuation is written, and what a "related" heading lists', () => {
    const html = `<html><head><title>Parts arrive...</title></head><body><article>
      <h1>Parts arrive…</h1><p>${LEAD} ${SECOND}</p><p>${SECOND} ${LEAD}</p>
      <h2>You may also like</h2><p>${'A different story about a different thing, at length. '.repeat(3)}</p>
      </article></body></html>`;
    expect(cleanHtml(html).text.split('\n\n')).toEqual([`${LEAD} ${SECOND}`, `${SECOND} ${LEAD}`]);
  });
});

describe('cleanHtml publication dates', () => {
  const published = (html: string, url?: string) => cleanHtml(html, url, NOW).publishedAt;

  it('reads the dates of JSON-LD that does not parse', () => {
    const ld = '{"@type": "NewsArticle", "datePublished": "2019-07-12T13:40:00+03:00"}}';
    expect(
      published(`<html><head><script type="application/ld+json">${ld}</script></head></html>`),
    ).toBe('2019-07-12T13:40:00+03:00');
  });

  it("takes the date beside the headline, not the header's date of today or a caption's", () => {
    const html = `<html><body><header><h1><a href="/"><img alt="Logo"></a></h1>
      <ul><li>Tuesday, (08 Dec 2020)</li></ul></header>
      <main><h1>Turkey tests its S-400 radars over Ankara</h1><p>July 18, 2019</p>
      <div class="photo">Radar trucks at Murted air base near Ankara, Turkey, July 16, 2019. Photo agency</div>
      <p>Turkey switched on the radars, the ministry said.</p></main></body></html>`;
    expect(published(html)).toBe('2019-07-18');
  });

  it('reads Arabic month names, with the Levantine name beside the Egyptian one', () => {
    const page = (date: string) =>
      `<html><body><h1>Headline of the article here</h1><div class="article_created">${date}</div></body></html>`;
    expect(published(page('الأربعاء، 07 أكتوبر 2020 - 12:09 م'))).toBe('2020-10-07');
    expect(published(page('تم نشره الجمعة 24 نيسان / أبريل 2020 09:22 مساءً'))).toBe('2020-04-24');
  });

  it("takes the URL's day over a UTC date a day away only when a time zone can explain it", () => {
    const page = (date: string) =>
      `<html><head><meta property="article:published_time" content="${date}"></head></html>`;
    const url = 'https://news.example/2019/07/17/story.html';
    expect(published(page('2019-07-18T02:30:00Z'), url)).toBe('2019-07-17');
    expect(published(page('2019-07-18T10:04:00Z'), url)).toBe('2019-07-18T10:04:00Z');
  });
});

describe('decodeBody', () => {
  it('decodes legacy Turkish and Russian charsets from the header or the meta tag', () => {
    const turkish = Buffer.from([0x54, 0xfc, 0x72, 0x6b, 0x69, 0x79, 0x65]); // "Türkiye" in windows-1254
    expect(decodeBody(turkish, 'text/html; charset=windows-1254')).toBe('Türkiye');
    const russian = Buffer.concat([
      Buffer.from('<meta charset="windows-1251">'),
      Buffer.from([0xd1, 0x2d, 0x34, 0x30, 0x30]), // "С-400"
    ]);
    expect(decodeBody(russian, 'text/html')).toContain('С-400');
  });
});
