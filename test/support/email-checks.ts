/**
 * The project's checks of a digest email's HTML, as the email tests and the end-to-end tests
 * (on the message the local outbox kept) apply them: size, valid HTML, only what email clients
 * support, presentation tables, alt texts, link schemes, text colours under backgrounds.
 */
import { type CanIEmailOptions, caniemail } from 'caniemail';
import { type CheerioAPI, load } from 'cheerio';
import { type ConfigData, HtmlValidate } from 'html-validate';

/** Gmail clips messages above about 102 KB and hides the rest, unsubscribe link included. */
export const MAX_HTML_BYTES = 90 * 1024;

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

export async function htmlProblems(html: string): Promise<string[]> {
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

export function caniemailUnsupported(html: string): string[] {
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
export function explicitlyUnsupported(html: string): string[] {
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

export function unsupportedFeatures(html: string): string[] {
  return [...caniemailUnsupported(html), ...explicitlyUnsupported(html)];
}

/**
 * Elements that set a background but leave the text colour to the client: dark modes that
 * invert only one of the two leave dark text on a dark background or light on light.
 */
export function backgroundsWithoutTextColour($: CheerioAPI): string[] {
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

/** Every check at once: the problems found, each named; empty for a good email. */
export async function emailProblems(html: string): Promise<string[]> {
  const $ = load(html);
  const size = Buffer.byteLength(html, 'utf8');
  return [
    ...(size < MAX_HTML_BYTES ? [] : [`${size} bytes: Gmail clips above about 102 KB`]),
    ...(await htmlProblems(html)),
    ...unsupportedFeatures(html),
    ...$('table:not([role="presentation"])')
      .toArray()
      .map(() => 'a <table> without role="presentation"'),
    ...$('img:not([alt])')
      .toArray()
      .map(() => 'an <img> without alt'),
    ...$('a[href]')
      .toArray()
      .map((link) => $(link).attr('href') ?? '')
      .filter((href) => !/^(https?:\/\/|mailto:)/i.test(href))
      .map((href) => `a link that is not a web page or a mail address: ${href}`),
    ...backgroundsWithoutTextColour($).map(
      (element) => `a background without a text colour: ${element}`,
    ),
  ];
}
