import Handlebars from 'handlebars';
import juice from 'juice';
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

/** Gmail clips a message past about 102 KB; the digest stays under this, the rest is on the web. */
export const MAX_HTML_BYTES = 90_000;
/** Stands for a reader's own unsubscribe link while the shared part of the email is rendered. */
const UNSUBSCRIBE_PLACEHOLDER = 'https://unsubscribe.invalid/placeholder';

/**
 * Compiles the templates once; renders any number of digests. The HTML's CSS (a `<style>` block
 * in the template) is inlined, since many mail clients drop `<style>`. A digest too long for one
 * email lists its most important developments and counts the rest, which the web copy shows.
 */
export class DigestRenderer {
  private readonly html: Handlebars.TemplateDelegate;
  private readonly text: Handlebars.TemplateDelegate;
  private readonly subject: Handlebars.TemplateDelegate;
  /** The current digest's shared renderings: for readers (with a placeholder link), for the archive. */
  private shared: readonly {
    digest: Digest;
    webUrl: string | undefined;
    personal: boolean;
    rendered: RenderedDigest;
  }[] = [];

  constructor(templates: DigestTemplates, subjectTemplate: string) {
    const handlebars = Handlebars.create();
    for (const [name, source] of Object.entries(templates.partials))
      handlebars.registerPartial(name, source);
    handlebars.registerHelper('formatDate', (value: unknown) => formatDate(value));
    handlebars.registerHelper('join', (values: unknown) =>
      Array.isArray(values) ? values.join(', ') : '',
    );
    handlebars.registerHelper('plural', (count: unknown, one: unknown, many: unknown) =>
      count === 1 ? one : many,
    );
    this.html = handlebars.compile(templates.html, { strict: false });
    // Plain text must not be HTML-escaped; Handlebars escapes by default, so text opts out.
    this.text = handlebars.compile(templates.text, { noEscape: true });
    this.subject = handlebars.compile(subjectTemplate, { noEscape: true });
  }

  /**
   * The digest for one reader (with their unsubscribe link) or for the archive (without one).
   * The shared part is rendered once per digest; each reader then costs a string replacement.
   */
  render(digest: Digest, links: DigestLinks = {}): RenderedDigest {
    const personal = links.unsubscribeUrl !== undefined;
    const cached = this.shared.find(
      (entry) =>
        entry.digest === digest && entry.webUrl === links.webUrl && entry.personal === personal,
    );
    const rendered = cached?.rendered ?? this.renderShared(digest, links.webUrl, personal);
    if (!cached)
      this.shared = [
        ...this.shared.filter((entry) => entry.digest === digest),
        { digest, webUrl: links.webUrl, personal, rendered },
      ];
    if (!links.unsubscribeUrl) return rendered;
    return {
      subject: rendered.subject,
      html: rendered.html.replaceAll(
        UNSUBSCRIBE_PLACEHOLDER,
        Handlebars.escapeExpression(links.unsubscribeUrl),
      ),
      text: rendered.text.replaceAll(UNSUBSCRIBE_PLACEHOLDER, links.unsubscribeUrl),
    };
  }

  private renderShared(
    digest: Digest,
    webUrl: string | undefined,
    personal: boolean,
  ): RenderedDigest {
    const count = digest.items.length + digest.exchanges.length;
    const context = (shown: number) => ({
      ...digest,
      items: digest.items.slice(0, shown),
      omitted: digest.items.length - shown,
      links: { webUrl, unsubscribeUrl: personal ? UNSUBSCRIBE_PLACEHOLDER : undefined },
      count,
      one: count === 1,
      empty: count === 0,
      weekRange: `${formatDate(mondayOf(digest.week))} – ${formatDate(addDays(mondayOf(digest.week), 6))}`,
    });
    let shown = digest.items.length;
    let html = inlineCss(this.html(context(shown)));
    // Shorter until it fits: each step drops as many items as the excess suggests (at least one).
    while (Buffer.byteLength(html) > MAX_HTML_BYTES && shown > 0) {
      const excess = Buffer.byteLength(html) / MAX_HTML_BYTES;
      shown = Math.min(shown - 1, Math.floor(shown / excess));
      html = inlineCss(this.html(context(Math.max(shown, 0))));
    }
    const full = context(digest.items.length);
    return {
      subject: this.subject(full).replace(/\s+/g, ' ').trim(),
      html,
      text: this.text(full),
    };
  }
}

/** Inlines the template's CSS; the classes have then done their work and only cost bytes. */
function inlineCss(html: string): string {
  const inlined = juice(html, {
    removeStyleTags: true,
    preserveMediaQueries: true,
    applyWidthAttributes: true,
  });
  return inlined.replace(/ class="[^"]*"/g, '');
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
