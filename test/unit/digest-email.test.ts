/**
 * The weekly digest as mail clients receive it: small enough not to be clipped, valid HTML,
 * only the CSS that email clients support, readable in dark mode, and safe whatever the
 * scraped titles and summaries contain.
 */
import { type CanIEmailOptions, caniemail } from 'caniemail';
import { type CheerioAPI, load } from 'cheerio';
import { isTag } from 'domhandler';
import { type ConfigData, HtmlValidate } from 'html-validate';
import { describe, expect, it } from 'vitest';
import {
  hostileDigest,
  LONG_QUOTE,
  LONG_URL,
  renderDigest,
  SCRIPT_TITLE,
  sampleDigest,
} from '../support/digest-fixture.js';

/** Gmail clips messages above about 102 KB and hides the rest, unsubscribe link included. */
const MAX_HTML_BYTES = 90 * 1024;

/** HTML5 removed the table attributes that Outlook's Word engine still needs for layout. */
const LAYOUT_ATTRIBUTE = { deprecated: false };

const EMAIL_HTML_RULES: ConfigData = {
  extends: ['html-validate:recommended'],
  elements: [
    'html5',
    {
      table: {
        attributes: {
          width: LAYOUT_ATTRIBUTE,
          cellpadding: LAYOUT_ATTRIBUTE,
          cellspacing: LAYOUT_ATTRIBUTE,
          border: LAYOUT_ATTRIBUTE,
          bgcolor: LAYOUT_ATTRIBUTE,
        },
      },
      // juice copies background colours and alignment into these for Outlook.
      td: {
        attributes: {
          align: LAYOUT_ATTRIBUTE,
          valign: LAYOUT_ATTRIBUTE,
          bgcolor: LAYOUT_ATTRIBUTE,
          width: LAYOUT_ATTRIBUTE,
        },
      },
    },
  ],
  rules: {
    // Gmail and others drop or rewrite <style> blocks; inline styles are the only styling
    // every client applies.
    'no-inline-style': 'off',
    // Browsers insert <tbody> themselves; spelling it out only adds bytes to every table.
    'prefer-tbody': 'off',
    // The recommended preset leaves heading order unchecked; screen-reader users rely on it.
    'heading-level': ['error', { minInitialRank: 'h1', allowMultipleH1: false }],
  },
};

const validator = new HtmlValidate(EMAIL_HTML_RULES);

async function htmlProblems(html: string): Promise<string[]> {
  const report = await validator.validateString(html);
  return report.results.flatMap((result) =>
    result.messages.map(
      (message) => `${message.line}:${message.column} ${message.ruleId}: ${message.message}`,
    ),
  );
}

interface Declaration {
  readonly element: string;
  readonly property: string;
  readonly value: string;
}

/** Every CSS declaration in style attributes and <style> blocks. */
function declarations($: CheerioAPI): Declaration[] {
  const inline = $('[style]')
    .toArray()
    .flatMap((element) =>
      parseDeclarations($(element).attr('style') ?? '', `<${element.tagName}>`),
    );
  const blocks = $('style')
    .toArray()
    .flatMap((element) =>
      [
        ...$(element)
          .text()
          .matchAll(/\{([^{}]*)\}/g),
      ].flatMap((rule) => parseDeclarations(rule[1] ?? '', '<style>')),
    );
  return [...inline, ...blocks];
}

function parseDeclarations(css: string, element: string): Declaration[] {
  return css.split(';').flatMap((declaration) => {
    const colon = declaration.indexOf(':');
    if (colon < 0) return [];
    return [
      {
        element,
        property: declaration.slice(0, colon).trim().toLowerCase(),
        value: declaration
          .slice(colon + 1)
          .trim()
          .toLowerCase(),
      },
    ];
  });
}

/**
 * caniemail's verdicts that can be trusted as they are: each names exactly one feature.
 * Others are not: it matches property names by substring (`list-style-position` counts as
 * `position`, `text-transform` as `transform`), reports `display:inline-flex` and
 * `background:url(…)` only as plain `display` and `background`, misses `flex` and
 * `grid-template-columns`, and does not look at <svg> at all; those are checked below.
 */
const CANIEMAIL_UNSUPPORTED = new Set([
  'display:flex',
  'display:grid',
  'background-image',
  'background attribute',
  '<link> element',
  '@import',
]);

/**
 * The clients most subscribers read mail in. Not '*': caniemail 1.0.5 has no `overflow-wrap`
 * data for Thunderbird and La Poste and throws instead of answering for any of them.
 */
const MAIL_CLIENTS: CanIEmailOptions['clients'] = [
  'gmail.*',
  'outlook.*',
  'apple-mail.*',
  'yahoo.*',
  'samsung-email.android',
];

function caniemailUnsupported(html: string): string[] {
  const { issues } = caniemail({ clients: MAIL_CLIENTS, html });
  const titles = new Set<string>();
  for (const byClient of [issues.errors, issues.warnings])
    for (const clientIssues of byClient.values())
      for (const issue of clientIssues)
        if (CANIEMAIL_UNSUPPORTED.has(issue.title)) titles.add(issue.title);
  return [...titles];
}

const UNSUPPORTED_DECLARATIONS: readonly {
  readonly feature: string;
  readonly matches: (declaration: Declaration) => boolean;
}[] = [
  {
    feature: 'flexbox',
    matches: ({ property, value }) =>
      /^flex(-|$)/.test(property) || (property === 'display' && value.includes('flex')),
  },
  {
    feature: 'grid',
    matches: ({ property, value }) =>
      /^grid(-|$)/.test(property) || (property === 'display' && value.includes('grid')),
  },
  {
    feature: 'position',
    matches: ({ property, value }) => property === 'position' && value !== 'static',
  },
  {
    feature: 'background image',
    matches: ({ property, value }) =>
      property.startsWith('background') && /url\(|gradient\(/.test(value),
  },
];

/** Layout and images that Outlook, Gmail or Yahoo ignore or strip; what caniemail cannot tell. */
function explicitlyUnsupported(html: string): string[] {
  const $ = load(html);
  const css = declarations($).flatMap((declaration) =>
    UNSUPPORTED_DECLARATIONS.filter((rule) => rule.matches(declaration)).map(
      (rule) =>
        `${rule.feature} on ${declaration.element}: ${declaration.property}:${declaration.value}`,
    ),
  );
  const svg = $('svg, img[src$=".svg" i], img[src^="data:image/svg" i]')
    .toArray()
    .map((element) => `SVG: <${element.tagName}>`);
  const stylesheets = $('link[rel~="stylesheet" i]')
    .toArray()
    .map(() => 'external stylesheet: <link rel="stylesheet">');
  return [...css, ...svg, ...stylesheets];
}

function unsupportedFeatures(html: string): string[] {
  return [...caniemailUnsupported(html), ...explicitlyUnsupported(html)];
}

/**
 * Elements that set a background but leave the text colour to the client: dark modes that
 * invert only one of the two leave dark text on a dark background or light on light.
 */
function backgroundsWithoutTextColour($: CheerioAPI): string[] {
  return $('[style], [bgcolor]')
    .toArray()
    .filter((element) => {
      const own = parseDeclarations($(element).attr('style') ?? '', element.tagName);
      const setsBackground =
        $(element).attr('bgcolor') !== undefined ||
        own.some(
          ({ property, value }) =>
            property === 'background-color' ||
            (property === 'background' && !/^(none|transparent)$/.test(value)),
        );
      return setsBackground && !own.some(({ property }) => property === 'color');
    })
    .map((element) => `<${element.tagName} style="${$(element).attr('style') ?? ''}">`);
}

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
