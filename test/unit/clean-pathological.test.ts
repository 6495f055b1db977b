import { describe, expect, it } from 'vitest';
import { cleanHtml } from '../../lambdas/core/3-clean/article.js';
import {
  ARTICLE_SENTENCE,
  PAGE_KINDS,
  pathologicalPage,
} from '../../test/fixtures/pathological-pages.js';

const NOW = new Date('2026-01-01T00:00:00Z');

/**
 * The benchmark's hostile pages (bench/clean-pathological.ts times them): each is cleaned, with
 * its metadata and its article sentence, and says why when it was trimmed. Before the pre-scan
 * and the bounded reads, the nested and unclosed ones took minutes and the byline one hours.
 */
describe('cleanHtml on hostile pages', () => {
  it.each(PAGE_KINDS)('%s (300 KB): metadata and the article, never an exception', (kind) => {
    const article = cleanHtml(pathologicalPage(kind, 300_000), undefined, NOW);
    expect(article.title).toBe('Turkey takes delivery of the S-400');
    expect(article.publishedAt?.slice(0, 10)).toBe('2019-07-12');
    expect(article.text).toContain(ARTICLE_SENTENCE);
  });

  it.each(['deep nesting', 'unclosed tags', 'table soup'] as const)(
    '%s: says the deepest content was read as plain text',
    (kind) => {
      expect(cleanHtml(pathologicalPage(kind, 300_000), undefined, NOW).problem).toMatch(
        /nested deeper than 256 elements/,
      );
    },
  );

  it('takes no byline from 300,000 digits under a byline class', () => {
    expect(cleanHtml(pathologicalPage('long byline', 300_000), undefined, NOW).byline).toBe(
      undefined,
    );
  });

  it('still reads a byline with its reading time', () => {
    const html =
      '<html><body><span class="byline">By Selin Arkan · 12 min read</span><p>Text.</p></body></html>';
    expect(cleanHtml(html, undefined, NOW).byline).toBe('Selin Arkan');
  });

  it('reads a JSON-LD nested 100,000 levels deep without exhausting the stack', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const html = `<html><head><script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2019-07-12","x":${deep}}</script></head><body><p>${ARTICLE_SENTENCE}</p></body></html>`;
    const article = cleanHtml(html, undefined, NOW);
    expect(article.text).toContain(ARTICLE_SENTENCE);
  });
});
