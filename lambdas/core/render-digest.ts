import Handlebars from 'handlebars';
import type { Digest } from './digest.js';
import { addDays, mondayOf } from './iso-week.js';

/** Template sources, read by an adapter from templates/ (bundled into each Lambda). */
export interface DigestTemplates {
  readonly html: string;
  readonly text: string;
  readonly partials: Readonly<Record<string, string>>;
}

/** Where a reader's links lead: their own unsubscribe link, the archived copy on the web. */
export interface DigestLinks {
  readonly unsubscribeUrl?: string;
  readonly webUrl?: string;
}

export interface RenderedDigest {
  readonly subject: string;
  readonly html: string;
  readonly text: string;
}

const DATE_FORMAT = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
});

/** Compiles the templates once; renders any number of digests. */
export class DigestRenderer {
  private readonly html: Handlebars.TemplateDelegate;
  private readonly text: Handlebars.TemplateDelegate;
  private readonly subject: Handlebars.TemplateDelegate;

  constructor(templates: DigestTemplates, subjectTemplate: string) {
    const handlebars = Handlebars.create();
    for (const [name, source] of Object.entries(templates.partials))
      handlebars.registerPartial(name, source);
    handlebars.registerHelper('formatDate', (value: unknown) => formatDate(value));
    handlebars.registerHelper('join', (values: unknown) =>
      Array.isArray(values) ? values.join(', ') : '',
    );
    this.html = handlebars.compile(templates.html, { strict: false });
    // Plain text must not be HTML-escaped; Handlebars escapes by default, so text opts out.
    this.text = handlebars.compile(templates.text, { noEscape: true });
    this.subject = handlebars.compile(subjectTemplate, { noEscape: true });
  }

  render(digest: Digest, links: DigestLinks = {}): RenderedDigest {
    const count = digest.items.length;
    const context = {
      ...digest,
      links,
      count,
      one: count === 1,
      empty: count === 0,
      weekRange: `${formatDate(mondayOf(digest.week))} – ${formatDate(addDays(mondayOf(digest.week), 6))}`,
    };
    return {
      subject: this.subject(context).replace(/\s+/g, ' ').trim(),
      html: this.html(context),
      text: this.text(context),
    };
  }
}

/** "2019-07-17" → "17 Jul 2019"; "2019-W29" → "week of 15 Jul 2019"; "2019-07" → "Jul 2019"; "2017-summer" → "summer 2017". */
function formatDate(value: unknown): string {
  if (typeof value !== 'string') return '';
  if (/^\d{4}-W\d{2}$/.test(value)) return `week of ${formatDate(mondayOf(value))}`;
  const season = /^(\d{4})-([a-z]+)$/.exec(value);
  if (season) return `${season[2]} ${season[1]}`;
  if (/^\d{4}-\d{2}-\d{2}/.test(value))
    return DATE_FORMAT.format(new Date(value.length === 10 ? `${value}T12:00:00Z` : value));
  if (/^\d{4}-\d{2}$/.test(value)) {
    return new Intl.DateTimeFormat('en-GB', {
      month: 'short',
      year: 'numeric',
      timeZone: 'UTC',
    }).format(new Date(`${value}-15T00:00:00Z`));
  }
  return value;
}
