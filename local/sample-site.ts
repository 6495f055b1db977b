import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

export interface SampleSite {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  stop(): Promise<void>;
}

/**
 * Serves the bundled sample news web (sample/site) on 127.0.0.1 and a free port. Pages and
 * feeds are written with a `{{origin}}` placeholder for their absolute links, filled in here.
 */
export async function serveSampleSite(root: string, preferredPort = 0): Promise<SampleSite> {
  const base = resolve(root);
  let origin = '';
  const server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', origin).pathname);
    const file = normalize(join(base, path.endsWith('/') ? `${path}index.html` : path));
    if (!file.startsWith(base + sep) || request.method !== 'GET') {
      response.writeHead(404).end();
      return;
    }
    try {
      const type = CONTENT_TYPES[extname(file)] ?? 'application/octet-stream';
      let body: string | Buffer = await readFile(file);
      if (extname(file) === '.html' || extname(file) === '.xml')
        body = body.toString('utf8').replaceAll('{{origin}}', origin);
      response.writeHead(200, { 'content-type': type }).end(body);
    } catch {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });
  // The same port as last time keeps the article URLs, and so the stored state, valid.
  await new Promise<void>((listening, failed) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EADDRINUSE' || preferredPort === 0) return failed(error);
      server.listen(0, '127.0.0.1', listening);
    });
    server.listen(preferredPort, '127.0.0.1', listening);
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    stop: () => new Promise<void>((closed) => server.close(() => closed())),
  };
}
