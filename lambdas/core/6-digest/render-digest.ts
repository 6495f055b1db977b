import Handlebars from 'handlebars';
import { addDays, mondayOf } from '../model/iso-week.js';
import type { Digest } from './digest.js';
import { formatDate } from './format-date.js';
import { personalise, UNSUBSCRIBE_PLACEHOLDER } from './personalise.js';

/**
 * Template sources, read by an adapter from the templates shipped with the function. `html` is
 * the email template with its CSS already inlined (lib/email-templates.ts does it once, at build
 * time: many mail clients drop `<style>`).
 */
export interface DigestTemplates {
  readonly html: string;
  readonly text: string;
  readonly partials: Readonly<Record<string, string>>;
}

/** Where a digest's links lead. */
export interface DigestLinks {
  /** The reader's own one-click unsubscribe link: emails only. */
  readonly unsubscribeUrl?: string;
  /** The week's web copy: "view in browser", and where an email cut short sends the reader. */
  readonly webUrl?: string;
  /** The story's timeline page. */
  readonly timelineUrl?: string;
  /** The sign-up form: the web copy only (a reader of the email is subscribed already). */
  readonly subscribeUrl?: string;
}

export interface RenderedDigest {
  readonly subject: string;
  readonly html: string;
  readonly text: string;
}

/** Gmail clips a message past about 102 KB; the digest stays under this, the rest is on the web. */
export const MAX_HTML_BYTES = 90_000;
/** One shared rendering of a digest: an email (cut to fit) or the web copy (whole). */
interface Variant {
  readonly capped: boolean;
  readonly personal: boolean;
  readonly webUrl?: string | undefined;
  readonly timelineUrl?: string | undefined;
  readonly subscribeUrl?: string | undefined;
}

/**
 * Compiles the templates once; renders any number of digests. A digest too long for one email
 * lists its most important developments and counts the rest, which the web copy shows.
 */
export class DigestRenderer {
  private readonly html: Handlebars.TemplateDelegate;
  private readonly text: Handlebars.TemplateDelegate;
  private readonly subject: Handlebars.TemplateDelegate;
  /** The current digest's shared renderings (emails with a placeholder link, the web copy). */
  private shared: readonly { digest: Digest; variant: string; rendered: RenderedDigest }[] = [];

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
   * The email: for one reader (with their unsubscribe link) or a preview (without one), its
   * HTML cut to stay under MAX_HTML_BYTES. The shared part is rendered once per digest and
   * links; each reader then costs a string replacement.
   */
  render(digest: Digest, links: DigestLinks = {}): RenderedDigest {
    const rendered = this.renderShared(digest, {
      capped: true,
      personal: links.unsubscribeUrl !== undefined,
      webUrl: links.webUrl,
      timelineUrl: links.timelineUrl,
    });
    return links.unsubscribeUrl ? personalise(rendered, links.unsubscribeUrl) : rendered;
  }

  /**
   * The email every reader gets, with a placeholder for the unsubscribe link: composed once per
   * week, then {@link personalise}d per reader by the senders.
   */
  renderForReaders(digest: Digest, links: Omit<DigestLinks, 'unsubscribeUrl'>): RenderedDigest {
    return this.renderShared(digest, {
      capped: true,
      personal: true,
      webUrl: links.webUrl,
      timelineUrl: links.timelineUrl,
    });
  }

  /**
   * The web copy, what the archive keeps and the web function serves: every development, however
   * long (a browser does not clip), no reader's unsubscribe link and no "view in browser" link
   * to itself.
   */
  renderWebCopy(
    digest: Digest,
    links: Pick<DigestLinks, 'timelineUrl' | 'subscribeUrl'> = {},
  ): RenderedDigest {
    return this.renderShared(digest, {
      capped: false,
      personal: false,
      timelineUrl: links.timelineUrl,
      subscribeUrl: links.subscribeUrl,
    });
  }

  private renderShared(digest: Digest, variant: Variant): RenderedDigest {
    const key = JSON.stringify(variant);
    const cached = this.shared.find((entry) => entry.digest === digest && entry.variant === key);
    if (cached) return cached.rendered;
    const rendered = this.renderVariant(digest, variant);
    // A run renders one digest for many readers: the renderings of older digests are dropped.
    this.shared = [
      ...this.shared.filter((entry) => entry.digest === digest),
      { digest, variant: key, rendered },
    ];
    return rendered;
  }

  private renderVariant(digest: Digest, variant: Variant): RenderedDigest {
    const count = digest.items.length + digest.exchanges.length;
    const context = (shown: number) => ({
      ...digest,
      items: digest.items.slice(0, shown),
      omitted: digest.items.length - shown,
      links: {
        webUrl: variant.webUrl,
        timelineUrl: variant.timelineUrl,
        subscribeUrl: variant.subscribeUrl,
        unsubscribeUrl: variant.personal ? UNSUBSCRIBE_PLACEHOLDER : undefined,
      },
      count,
      one: count === 1,
      empty: count === 0,
      weekRange: `${formatDate(mondayOf(digest.week))} – ${formatDate(addDays(mondayOf(digest.week), 6))}`,
    });
    let shown = digest.items.length;
    let html = this.html(context(shown));
    // Shorter until it fits: each step drops as many items as the excess suggests (at least one).
    while (variant.capped && Buffer.byteLength(html) > MAX_HTML_BYTES && shown > 0) {
      const excess = Buffer.byteLength(html) / MAX_HTML_BYTES;
      shown = Math.min(shown - 1, Math.floor(shown / excess));
      html = this.html(context(Math.max(shown, 0)));
    }
    const full = context(digest.items.length);
    return {
      subject: this.subject(full).replace(/\s+/g, ' ').trim(),
      html,
      text: this.text(full),
    };
  }
}
