import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_SITE_DIR } from '../../local/project-paths.js';
import { type LocalStory, startLocalStory } from '../support/local-story.js';
import { quiet } from '../support/memory/log.js';

const ORIGINAL = join(
  SAMPLE_SITE_DIR,
  'meridian-defence/news/first-s400-parts-arrive-murted-ankara.html',
);

/**
 * A wire story carried by a second outlet two hours later under its own headline, with a line
 * of its own and look-alike Cyrillic letters: listed as a copy under the development the
 * original reports.
 */
describe('a syndicated copy', () => {
  let stack: LocalStory;
  let server: Server;
  let origin: string;

  beforeAll(async () => {
    server = createServer((request, response) => {
      const original = readFileSync(ORIGINAL, 'utf8').replaceAll('{{origin}}', origin);
      const pages: Record<string, string> = {
        '/wire/feed.xml': feed(`${origin}/wire/s400.html`),
        '/copy/feed.xml': feed(`${origin}/copy/s400.html`),
        '/wire/s400.html': original,
        '/copy/s400.html': original
          .replace(/<link rel="canonical"[^>]*>/, '')
          .replaceAll('2019-07-12T13:40:00+03:00', '2019-07-12T16:05:00+03:00')
          .replaceAll('Meridian Defence Journal', 'Harbour Gazette')
          .replace(/<h1>[^<]*<\/h1>/, '<h1>Russian missile parts reach Ankara air base</h1>')
          .replaceAll('Turkey', 'Turkеy') // a Cyrillic "е"
          .replace(
            '</article>',
            '<p>The Harbour Gazette carries this report from its partner.</p></article>',
          ),
      };
      const page = pages[request.url ?? ''];
      if (page) response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
      else response.writeHead(404).end();
    });
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    stack = await startLocalStory(
      'copies',
      [
        { id: 'wire', type: 'rss', url: `${origin}/wire/feed.xml` },
        { id: 'copy', type: 'rss', url: `${origin}/copy/feed.xml` },
      ],
      { allowPrivateNetworks: true, hostDelayMs: 0 },
    );
  });

  afterAll(async () => {
    await stack?.close();
    await new Promise((closed) => server?.close(closed));
  });

  it("is listed under the original's development as a copy of it, whatever the fetch order", async () => {
    await stack.runtime.handlers.discover.handler();
    await stack.runtime.drainFetchQueue(quiet);
    const digest = await stack.runtime.handlers.digest.handler({ week: '2019-W28' });
    const { GetObjectCommand, S3Client } = await import('@aws-sdk/client-s3');
    const s3 = new S3Client({});
    const object = await s3.send(
      new GetObjectCommand({
        Bucket: stack.runtime.aws.bucket,
        Key: digest.archived.replace(/\.html$/, '.json'),
      }),
    );
    const archived = JSON.parse((await object.Body?.transformToString('utf8')) ?? '{}');
    s3.destroy();
    const delivery = archived.items.find((item: { type: string }) => item.type === 'DELIVERY');
    expect(delivery.sources).toEqual([
      expect.objectContaining({ outlet: 'Meridian Defence Journal' }),
      expect.objectContaining({ outlet: 'Harbour Gazette', copyOf: 'Meridian Defence Journal' }),
    ]);
    expect(delivery.sources[0]).not.toHaveProperty('copyOf');
  });
});

function feed(link: string): string {
  return `<rss><channel><item><title>S-400</title><link>${link}</link></item></channel></rss>`;
}
