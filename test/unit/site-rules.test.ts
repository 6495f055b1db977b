import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanHtml } from '../../lambdas/core/3-clean/article.js';
import { SITE_RULES, siteRuleFor } from '../../lambdas/core/3-clean/site-rules.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'sites');
const NOW = new Date('2026-01-01T00:00:00Z');
const hosts = readdirSync(FIXTURES)
  .filter((file) => file.endsWith('.html'))
  .map((file) => file.replace(/\.html$/, ''));

describe('site rules', () => {
  it('has a saved page with its expected text for every rule', () => {
    expect(hosts.sort()).toEqual(Object.keys(SITE_RULES).sort());
  });

  it.each(hosts)('%s: the saved page cleans to its expected text (golden)', (host) => {
    const html = readFileSync(join(FIXTURES, `${host}.html`), 'utf8');
    const expected = readFileSync(join(FIXTURES, `${host}.expected.txt`), 'utf8').trim();
    expect(cleanHtml(html, `https://www.${host}/news/article.html`, NOW).text).toBe(expected);
  });

  it('is what makes the difference on a page the generic extractor misreads', () => {
    const html = readFileSync(join(FIXTURES, 'newsroom.example.html'), 'utf8');
    const generic = cleanHtml(html, 'https://elsewhere.example/a.html', NOW).text;
    expect(generic).not.toBe(
      readFileSync(join(FIXTURES, 'newsroom.example.expected.txt'), 'utf8').trim(),
    );
  });

  it("covers every outlet of the default story (Google News links to the outlets' own pages)", () => {
    const story = JSON.parse(
      readFileSync(join(import.meta.dirname, '..', '..', 'stories', 's400-turkey.json'), 'utf8'),
    ) as { sources: { url: string }[] };
    const uncovered = story.sources
      .map((source) => new URL(source.url).hostname)
      .filter((host) => host !== 'news.google.com' && !siteRuleFor(`https://${host}/a.html`));
    expect(uncovered).toEqual([]);
  });

  it('is looked up by host, then by registrable domain', () => {
    const rules = { 'example.co.uk': { content: '.a' }, 'news.example.org': { content: '.b' } };
    expect(siteRuleFor('https://www.news.example.org/x', rules)).toEqual({ content: '.b' });
    expect(siteRuleFor('https://live.example.co.uk/x', rules)).toEqual({ content: '.a' });
    expect(siteRuleFor('https://example.org/x', rules)).toBeUndefined();
    expect(siteRuleFor(undefined, rules)).toBeUndefined();
  });

  it('knows registrable domains from the Public Suffix List, its private section too', () => {
    const rules = {
      'ankara.bel.tr': { content: '.tr' },
      'example.ne.jp': { content: '.jp' },
      'blogspot.com': { content: '.every-blog' },
      'one.blogspot.com': { content: '.one-blog' },
    };
    // Suffixes that a list of "co, com, org…" second-level labels missed.
    expect(siteRuleFor('https://haber.ankara.bel.tr/x', rules)).toEqual({ content: '.tr' });
    expect(siteRuleFor('https://news.example.ne.jp/x', rules)).toEqual({ content: '.jp' });
    // A blog host's customers are separate sites.
    expect(siteRuleFor('https://two.blogspot.com/x', rules)).toBeUndefined();
    expect(siteRuleFor('https://www.one.blogspot.com/x', rules)).toEqual({ content: '.one-blog' });
    expect(siteRuleFor('https://127.0.0.1/x', rules)).toBeUndefined();
  });
});
