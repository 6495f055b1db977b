/**
 * The weekly digest as mail clients receive it: small enough not to be clipped, valid HTML,
 * only the CSS that email clients support, readable in dark mode, and safe whatever the
 * scraped titles and summaries contain.
 */
import { load } from 'cheerio';
import { isTag } from 'domhandler';
import { describe, expect, it } from 'vitest';
import {
  hostileDigest,
  LONG_QUOTE,
  LONG_URL,
  renderDigest,
  SCRIPT_TITLE,
  sampleDigest,
} from '../support/digest-fixture.js';
import {
  backgroundsWithoutTextColour,
  caniemailUnsupported,
  emailProblems,
  explicitlyUnsupported,
  htmlProblems,
  MAX_HTML_BYTES,
  unsupportedFeatures,
} from '../support/email-checks.js';

describe('the weekly digest email, for a busy week of 40 developments', () => {
  const digest = sampleDigest(40);
  const { html } = renderDigest(digest);
  const $ = load(html);

  it('lists every development (the checks below look at a full week)', () => {
    // Denials that answer a claim are listed beside it rather than among the top developments.
    expect(digest.items.length + digest.exchanges.length).toBe(40);
    expect($('li a').length).toBe(digest.items.reduce((n, item) => n + item.sources.length, 0));
  });

  it('stays under 90 KB so Gmail does not clip it', () => {
    expect(Buffer.byteLength(html, 'utf8')).toBeLessThan(MAX_HTML_BYTES);
  });

  it('is valid HTML with a language, alt texts and headings in order', async () => {
    expect(await htmlProblems(html)).toEqual([]);
  });

  it('uses no CSS or markup that email clients drop (flexbox, grid, position, SVG, background images, external CSS)', () => {
    expect(unsupportedFeatures(html)).toEqual([]);
  });

  it('marks every layout table as presentation, so screen readers read it as text', () => {
    expect($('table').length).toBeGreaterThan(0);
    expect($('table:not([role="presentation"])').length).toBe(0);
  });

  it('gives every image an alt text', () => {
    expect($('img:not([alt])').length).toBe(0);
  });

  it('links only to web pages and mail addresses', () => {
    const hrefs = $('a[href]')
      .toArray()
      .map((link) => $(link).attr('href') ?? '');
    expect(hrefs.length).toBeGreaterThan(40);
    expect(hrefs.filter((href) => !/^(https?:\/\/|mailto:)/i.test(href))).toEqual([]);
  });

  it('sets a text colour wherever it sets a background colour, so dark modes keep them apart', () => {
    expect(backgroundsWithoutTextColour($)).toEqual([]);
  });

  it('passes every check at once (what the end-to-end tests apply to the outbox)', async () => {
    expect(await emailProblems(html)).toEqual([]);
  });
});

describe('the checks on the email', () => {
  it('find what they look for', async () => {
    const bad = `<!DOCTYPE html><html><head><title>x</title><link rel="stylesheet" href="https://cdn.example/x.css"><style>@import url(https://cdn.example/y.css); p { display: inline-flex }</style></head>
<body><h2>Week</h2><table><tr><td style="background-color:#000;position:absolute;background:url(https://cdn.example/b.png)"><img src="https://cdn.example/logo.svg"><div style="display:grid;grid-template-columns:1fr 1fr">x</div></td></tr></table></body></html>`;
    const problems = await htmlProblems(bad);
    for (const rule of ['element-required-attributes', 'wcag/h37', 'heading-level'])
      expect(problems.join('\n')).toContain(rule);
    expect(caniemailUnsupported(bad)).toEqual(
      expect.arrayContaining(['display:grid', '<link> element', '@import']),
    );
    const explicit = explicitlyUnsupported(bad).join('\n');
    for (const feature of [
      'flexbox',
      'grid',
      'position',
      'background image',
      'SVG',
      'external stylesheet',
    ])
      expect(explicit).toContain(feature);
    expect(backgroundsWithoutTextColour(load(bad))).toHaveLength(1);
  });
});

describe('a digest of hostile scraped data', () => {
  const { html, text } = renderDigest(hostileDigest());
  const $ = load(html);

  it('shows markup in titles and summaries as text, never as elements', () => {
    expect($('script').length).toBe(0);
    expect(html).not.toMatch(/<script/i);
    expect($('a').filter((_, link) => $(link).text() === SCRIPT_TITLE).length).toBe(1);
    const handlers = $('*')
      .toArray()
      .filter(isTag)
      .flatMap((element) => Object.keys(element.attribs).filter((name) => name.startsWith('on')));
    expect(handlers).toEqual([]);
  });

  it('carries no javascript: link, not even as text', () => {
    expect(html).not.toMatch(/javascript:/i);
    expect(text).not.toMatch(/javascript:/i);
  });

  it('keeps a 2,000-character quote whole, escaped in HTML and as written in plain text', () => {
    expect(LONG_QUOTE).toHaveLength(2000);
    expect($('p').filter((_, p) => $(p).text().includes(LONG_QUOTE)).length).toBe(1);
    expect(html).not.toContain('<in any country>');
    expect(html).toContain('&lt;in any country&gt;');
    expect(text).toContain(LONG_QUOTE);
  });

  it('keeps a long address in a headline whole', () => {
    expect($('a').filter((_, link) => $(link).text().includes(LONG_URL)).length).toBe(1);
    expect(text).toContain(LONG_URL);
  });
});
