import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeHttpClient } from '../../lambdas/adapters/http-client.js';
import { FetchError } from '../../lambdas/core/errors.js';

describe('NodeHttpClient against a local server', () => {
  let server: Server;
  let origin: string;
  const seen: { path: string; userAgent: string | undefined; ifNoneMatch: string | undefined }[] =
    [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      const path = request.url ?? '/';
      seen.push({
        path,
        userAgent: request.headers['user-agent'],
        ifNoneMatch: request.headers['if-none-match'],
      });
      if (path === '/feed') {
        if (request.headers['if-none-match'] === '"v1"') return response.writeHead(304).end();
        return response
          .writeHead(200, { etag: '"v1"', 'content-type': 'application/rss+xml' })
          .end('<rss/>');
      }
      if (path === '/big') return response.writeHead(200).end('x'.repeat(20_000));
      if (path.startsWith('/loop'))
        return response.writeHead(302, { location: `/loop${seen.length}` }).end();
      if (path === '/slow') return setTimeout(() => response.end('late'), 3_000).unref();
      response.writeHead(404).end();
    });
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise((closed) => server.close(closed)));

  const client = (overrides: Partial<ConstructorParameters<typeof NodeHttpClient>[0]> = {}) =>
    new NodeHttpClient({
      userAgent: 'story-digest/test (+https://example.com/contact)',
      connectTimeoutMs: 1_000,
      headersTimeoutMs: 1_000,
      totalTimeoutMs: 1_000,
      maxBytes: 10_000,
      maxDecodedBytes: 40_000,
      allowPrivateNetworks: true,
      ...overrides,
    });

  it('sends its User-Agent and conditional headers, and returns 304 as a status', async () => {
    const first = await client().get(`${origin}/feed`);
    expect(first).toMatchObject({
      status: 200,
      headers: expect.objectContaining({ etag: '"v1"' }),
    });
    const second = await client().get(`${origin}/feed`, { etag: '"v1"' });
    expect(second.status).toBe(304);
    expect(seen.at(-1)).toMatchObject({
      userAgent: 'story-digest/test (+https://example.com/contact)',
      ifNoneMatch: '"v1"',
    });
  });

  it('stops reading a body over the size cap', async () => {
    await expect(client().get(`${origin}/big`)).rejects.toThrow(
      `${origin}/big: body larger than 10000 bytes`,
    );
  });

  it('gives up after five redirects', async () => {
    await expect(client().get(`${origin}/loop`)).rejects.toThrow(/more than 5 redirects/);
  });

  it('times out a server that does not answer', async () => {
    await expect(client({ totalTimeoutMs: 300 }).get(`${origin}/slow`)).rejects.toThrow(
      /timed out after 300 ms/,
    );
  });

  it('refuses loopback, private and metadata addresses unless the story allows them', async () => {
    const strict = client({ allowPrivateNetworks: false });
    await expect(strict.get(`${origin}/feed`)).rejects.toThrow(
      /address 127\.0\.0\.1 is private or loopback/,
    );
    const error = await strict
      .get('http://169.254.169.254/latest/meta-data/')
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(FetchError);
    expect((error as FetchError).permanent).toBe(true);
    await expect(strict.get('file:///etc/passwd')).rejects.toThrow(/scheme file: refused/);
  });
});
