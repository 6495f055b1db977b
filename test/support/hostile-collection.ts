import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_STORY, SAMPLE_SITE_DIR } from '../../local/project-paths.js';
import { serveSampleSite } from '../../local/sample-site.js';
import { HostileWeb } from './hostile-web.js';

/**
 * The hostile collection of issue 15: the sample news site's healthy articles, discovered beside
 * 25 misbehaving endpoints on sites of their own: a server that hangs on every request (its feed
 * and three article links), a TCP tarpit (two links), a server that drips a byte a second (two
 * links), a site answering 429 with Retry-After: 3600 (three links), and on one more site 503s,
 * redirect loops, bombs, an endless body, a reset and a hang-up, 404/410, an empty page, a PNG,
 * and feeds that are JSON or an HTML error page. Shared by `npm run bench`
 * (bench/hostile-collection.ts: its time against the healthy articles alone) and
 * test/e2e/hostile-pipeline.test.ts (every healthy article stored, every hostile one accounted).
 */
export interface HostileCollection {
  /** The sample site: the healthy articles, on their own host. */
  readonly sampleOrigin: string;
  /** Article links that misbehave, each expected skipped or set aside with its reason. */
  readonly hostileLinks: readonly string[];
  /** Feeds that cannot be read. */
  readonly brokenFeeds: readonly string[];
  /** The site of many broken pages (503s, loops, bombs…): a test may mend one of its routes. */
  readonly broken: HostileWeb;
  /** The story's sources: the sample outlets' feeds and, with `hostile`, the misbehaving ones. */
  sources(hostile: boolean): Record<string, unknown>[];
  close(): Promise<void>;
}

export async function startHostileCollection(): Promise<HostileCollection> {
  const started: { close(): Promise<void> }[] = [];
  try {
    const site = await serveSampleSite(SAMPLE_SITE_DIR);
    started.push({ close: () => site.stop() });
    const webs = await Promise.all([
      HostileWeb.start(), // one site with many broken pages
      HostileWeb.start({ siteWide: '/no-headers' }), // hangs on every request
      HostileWeb.start({ siteWide: '/drip' }), // drips on every request
      HostileWeb.start(), // answers its pages 429, Retry-After: an hour
    ]);
    started.push(...webs);
    const [broken, hanging, dripping, limited] = webs as [
      HostileWeb,
      HostileWeb,
      HostileWeb,
      HostileWeb,
    ];
    const tarpit = new URL(broken.tarpitUrl);
    const hostileLinks = [
      ...['/a/1.html', '/a/2.html', '/a/3.html'].map((path) => hanging.url(path)),
      ...['/t/1.html', '/t/2.html'].map((path) => new URL(path, tarpit).href),
      ...['/d/1.html', '/d/2.html'].map((path) => dripping.url(path)),
      ...[1, 2, 3].map((n) => limited.url(`/status/429?retry-after=3600&n=${n}`)),
      ...[
        '/status/503?n=1',
        '/status/503?n=2',
        '/redirect/loop-a',
        '/redirect/chain/9',
        '/gzip-bomb',
        '/endless',
        '/reset-mid-body',
        '/hang-up',
        '/status/404',
        '/status/410',
        '/empty',
        '/png-as-html',
      ].map((path) => broken.url(path)),
    ];
    const items = hostileLinks
      .map(
        (link, index) =>
          `<item><title>S-400 deliveries to Turkey, part ${index + 1}</title><link>${link.replaceAll('&', '&amp;')}</link></item>`,
      )
      .join('');
    broken.route(
      '/hostile-feed.xml',
      (_request, response) =>
        void response
          .writeHead(200, { 'content-type': 'application/rss+xml' })
          .end(`<rss version="2.0"><channel><title>Hostile</title>${items}</channel></rss>`),
    );
    const brokenFeeds = [broken.url('/feed/json'), broken.url('/feed/html'), hanging.url('/feed')];
    const outlets = JSON.parse(readFileSync(join(SAMPLE_SITE_DIR, 'outlets.json'), 'utf8')) as {
      id: string;
      name: string;
      feed: string;
      type: string;
    }[];
    return {
      sampleOrigin: site.origin,
      hostileLinks,
      brokenFeeds,
      broken,
      sources: (hostile) => [
        ...outlets.map((outlet) => ({
          id: outlet.id,
          type: outlet.type,
          url: `${site.origin}${outlet.feed}`,
          outlet: outlet.name,
        })),
        ...(hostile
          ? [
              { id: 'hostile-links', type: 'rss', url: broken.url('/hostile-feed.xml') },
              ...brokenFeeds.map((url, index) => ({
                id: `broken-feed-${index + 1}`,
                type: 'rss',
                url,
              })),
            ]
          : []),
      ],
      close: () => closeAll(started),
    };
  } catch (error) {
    await closeAll(started);
    throw error;
  }
}

/** The default story with these sources and fetch settings (loopback allowed), written to `dir`. */
export function writeCollectionStory(
  dir: string,
  sources: readonly Record<string, unknown>[],
  fetch: Record<string, unknown> = {},
): string {
  const story = JSON.parse(readFileSync(DEFAULT_STORY, 'utf8')) as Record<string, unknown>;
  const path = join(dir, 'collection-story.json');
  writeFileSync(
    path,
    JSON.stringify({
      ...story,
      sources,
      fetch: { ...(story.fetch as object | undefined), allowPrivateNetworks: true, ...fetch },
    }),
  );
  return path;
}

async function closeAll(started: readonly { close(): Promise<void> }[]): Promise<void> {
  await Promise.allSettled(started.map((server) => server.close()));
}
