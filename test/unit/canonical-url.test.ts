import { describe, expect, it } from 'vitest';
import { articleUrl, canonicalUrl } from '../../lambdas/core/1-discover/canonical-url.js';

describe('canonicalUrl', () => {
  it('makes the same article found through different links one URL', () => {
    const forms = [
      'https://News.Example.com/a/b?utm_source=rss&utm_medium=feed#comments',
      'https://news.example.com/a/b?fbclid=XYZ',
      'https://news.example.com:443/a/b',
    ];
    expect(new Set(forms.map((form) => canonicalUrl(form)))).toEqual(
      new Set(['https://news.example.com/a/b']),
    );
  });

  it('keeps meaningful parameters, sorted', () => {
    expect(canonicalUrl('https://x.example/story?page=2&id=7&gclid=1')).toBe(
      'https://x.example/story?id=7&page=2',
    );
  });

  it('resolves relative links and refuses other schemes', () => {
    expect(canonicalUrl('../b.html', 'https://x.example/a/c/index.html')).toBe(
      'https://x.example/a/b.html',
    );
    expect(canonicalUrl('mailto:editor@x.example')).toBeUndefined();
    expect(canonicalUrl('not a url')).toBeUndefined();
  });
});

describe('articleUrl', () => {
  it('stores an AMP or mobile copy under the canonical URL it declares', () => {
    expect(
      articleUrl('https://amp.example.com/news/a.amp.html', 'https://www.example.com/news/a.html'),
    ).toBe('https://www.example.com/news/a.html');
    expect(articleUrl('https://m.example.com/a?utm_source=x', '/a')).toBe(
      'https://m.example.com/a',
    );
  });

  it('does not trust a canonical link to another site', () => {
    expect(articleUrl('https://example.com/a', 'https://elsewhere.example.org/b')).toBe(
      'https://example.com/a',
    );
    expect(articleUrl('https://example.com/a#x', undefined)).toBe('https://example.com/a');
  });
});
