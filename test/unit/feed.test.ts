import { describe, expect, it } from 'vitest';
import { parseFeed } from '../../lambdas/core/1-discover/feed.js';
import { FeedParseError } from '../../lambdas/core/model/errors.js';

const FEED_URL = 'https://news.example.com/feed.xml';

describe('parseFeed', () => {
  it('reads RSS 2.0 items with escaped HTML summaries and RFC 822 dates', () => {
    const items = parseFeed(
      `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>
        <item><title>Turkey &amp; the S-400</title><link>/2019/07/12/s400.html</link>
          <description>&lt;p&gt;First &lt;b&gt;S-400&lt;/b&gt; parts land&lt;/p&gt;</description>
          <pubDate>Fri, 12 Jul 2019 09:30:00 +0300</pubDate></item>
        <item><title>No link</title></item>
      </channel></rss>`,
      FEED_URL,
    );
    expect(items).toEqual([
      {
        url: 'https://news.example.com/2019/07/12/s400.html',
        title: 'Turkey & the S-400',
        summary: 'First S-400 parts land',
        publishedAt: '2019-07-12T06:30:00.000Z',
      },
    ]);
  });

  it('reads Atom entries through their alternate link', () => {
    const [item] = parseFeed(
      `<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>Pentagon moves</title>
        <link rel="self" href="https://news.example.com/self"/><link rel="alternate" href="https://news.example.com/a"/>
        <summary>F-35 decision</summary><published>2019-07-17T10:00:00Z</published></entry></feed>`,
      FEED_URL,
    );
    expect(item).toMatchObject({
      url: 'https://news.example.com/a',
      summary: 'F-35 decision',
      publishedAt: '2019-07-17T10:00:00.000Z',
    });
  });

  it('reads RDF (RSS 1.0) items and their dc:date', () => {
    const [item] = parseFeed(
      `<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
        <item rdf:about="https://news.example.com/r"><title>R</title><link>https://news.example.com/r</link><dc:date>2019-07-18T08:00:00+03:00</dc:date></item>
      </rdf:RDF>`,
      FEED_URL,
    );
    expect(item).toMatchObject({
      url: 'https://news.example.com/r',
      summary: undefined,
      publishedAt: '2019-07-18T05:00:00.000Z',
    });
  });

  it('refuses a document that is not a feed, naming the feed', () => {
    expect(() => parseFeed('<html><body>Gateway timeout</body></html>', FEED_URL)).toThrow(
      FeedParseError,
    );
    expect(() => parseFeed('', FEED_URL)).toThrow(`feed ${FEED_URL}: no XML root element`);
  });

  it('drops links that are not http(s)', () => {
    const items = parseFeed(
      '<rss><channel><item><title>x</title><link>javascript:alert(1)</link></item></channel></rss>',
      FEED_URL,
    );
    expect(items).toEqual([]);
  });
});
