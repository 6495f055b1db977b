import Handlebars from 'handlebars';
import { describe, expect, it } from 'vitest';
import { MAX_HTML_BYTES } from '../../lambdas/core/6-digest/render-digest.js';
import {
  renderDigest,
  renderWebCopy,
  SAMPLE_LINKS,
  sampleDigest,
} from '../support/digest-fixture.js';

const TIMELINE_URL = 'https://digest.example.org/timeline/s400-turkey';

describe('the web copy of a week too long for one email', () => {
  const digest = sampleDigest(120);
  const webCopy = renderWebCopy(digest, { timelineUrl: TIMELINE_URL });
  const email = renderDigest(digest, { ...SAMPLE_LINKS, timelineUrl: TIMELINE_URL });

  it('lists every development, however long it gets', () => {
    expect(digest.items.length + digest.exchanges.length).toBe(120);
    expect(Buffer.byteLength(webCopy.html)).toBeGreaterThan(MAX_HTML_BYTES);
    for (const item of digest.items) {
      expect(webCopy.html).toContain(`>${Handlebars.escapeExpression(item.headline)}<`);
      for (const source of item.sources) expect(webCopy.html).toContain(`href="${source.url}"`);
    }
    for (const exchange of digest.exchanges) {
      expect(webCopy.html).toContain(Handlebars.escapeExpression(exchange.summary));
    }
    expect(webCopy.html).not.toMatch(/more developments? this week/);
  });

  it('carries no reader’s unsubscribe link and no link to itself, but the timeline’s', () => {
    expect(webCopy.html).not.toContain('unsubscribe');
    expect(webCopy.html).not.toContain('View it in your browser');
    expect(webCopy.text).not.toMatch(/unsubscribe|View it in your browser/i);
    expect(webCopy.html).toContain(`<a href="${TIMELINE_URL}"`);
    expect(webCopy.text).toContain(`The story's timeline: ${TIMELINE_URL}`);
  });

  it('leaves the email under the clipping limit, pointing to the web copy for the rest', () => {
    expect(Buffer.byteLength(email.html)).toBeLessThanOrEqual(MAX_HTML_BYTES);
    const more = /(\d+) more developments this week are in the <a href="([^"]+)"/.exec(email.html);
    expect(Number(more?.[1])).toBeGreaterThan(0);
    expect(more?.[2]).toBe(SAMPLE_LINKS.webUrl);
    expect(email.html).toContain(`<a href="${SAMPLE_LINKS.webUrl}">View it in your browser</a>`);
    expect(email.html).toContain(`<a href="${TIMELINE_URL}"`);
  });

  it('is rendered once per digest, like the shared part of the readers’ emails', () => {
    expect(renderWebCopy(digest, { timelineUrl: TIMELINE_URL })).toBe(webCopy);
    const other = renderDigest(digest, {
      ...SAMPLE_LINKS,
      timelineUrl: TIMELINE_URL,
      unsubscribeUrl: 'https://digest.example.org/unsubscribe?token=another-reader',
    });
    // The same shared rendering, each with the reader's own link (`=` entity-escaped).
    expect(other.html.replace('token&#x3D;another-reader', 'TOKEN')).toBe(
      email.html.replace(/token&#x3D;\w+/, 'TOKEN'),
    );
  });
});
