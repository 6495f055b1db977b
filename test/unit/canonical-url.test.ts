import { describe, expect, it } from 'vitest';
import { canonicalUrl } from '../../lambdas/core/canonical-url.js';

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
