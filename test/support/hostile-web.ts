/**
 * A hostile web on loopback, for testing the crawler's HTTP stack against servers that drip,
 * flood, bomb, mislabel, loop, reset and stall, and a network tripwire that guarantees a test
 * never connects anywhere outside 127.0.0.0/8 (and ::1), whatever the code under test decides.
 *
 * Every hostile behaviour is a route of one node:http server, so tests only compose URLs:
 * `web.url('/drip')`, `web.url('/flaky/a/503,200')`, `web.url('/robots-test', 'deny.test')`
 * (host names reach the server through an injected lookup, see `testLookup`). The server logs
 * every request it sees (host, path, arrival time, requests in flight) so tests can assert what
 * the client did and, as importantly, what it never did.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { readFileSync } from 'node:fs';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import {
  type AddressInfo,
  isIP,
  Socket,
  type Server as TcpServer,
  createServer as tcpServer,
} from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { brotliCompressSync, constants, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import type { Lookup } from '../../lambdas/adapters/http-client.js';

export const SAMPLE_ARTICLE = join(
  import.meta.dirname,
  '../../sample/site/meridian-defence/news/first-s400-parts-arrive-murted-ankara.html',
);
/** Where the sample article says it lives (its canonical link), below the server's origin. */
export const SAMPLE_ARTICLE_PATH =
  '/meridian-defence/news/first-s400-parts-arrive-murted-ankara.html';

/** Texts of the charset pages, as a reader should see them once decoded. */
export const TEXTS = {
  english: 'First S-400 parts arrive in Ankara — “on schedule”, says the ministry.',
  russian:
    'Первые элементы зенитной ракетной системы С-400 доставлены в Турцию. Министерство обороны ' +
    'сообщило, что поставки продолжатся в ближайшие недели, несмотря на предупреждения США.',
  turkish:
    'S-400 füze savunma sisteminin ilk parçaları Türkiye’ye ulaştı. Milli Savunma Bakanlığı, ' +
    'teslimatın önümüzdeki günlerde de süreceğini açıkladı; Ankara’da ağır bir sessizlik var.',
  cyrillicMeta: 'Поставка систем С-400 в Турцию началась в пятницу на авиабазе Мюртед.',
} as const;

/** One request as the server saw it. */
export interface Arrival {
  /** Date.now() when the server finished sending its response (undefined: not yet, or never). */
  endedAt?: number;
  /** The Host header's name, lower-cased, without the port. */
  readonly host: string;
  readonly path: string;
  /** Date.now() when the request's headers arrived. */
  readonly at: number;
  /** Requests in progress on the server at that moment, this one included. */
  readonly inFlight: number;
  readonly headers: IncomingHttpHeaders;
}

/** What became of a streamed (drip, endless) response: how much was sent before it stopped. */
export interface StreamRecord {
  bytesSent: number;
  /** The client went away before the server finished (it never finishes on its own). */
  closedByClient: boolean;
  closedAt?: number;
}

type Handler = (
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  web: HostileWeb,
) => void;

/** Canned status pages: `/status/<code>[?retry-after=<value>]`. */
const STATUS = /^\/status\/(\d{3})$/;
/** Per-path sequences: `/flaky/<id>/<code>,<code>,...` answers the nth code on the nth hit; the last repeats. */
const FLAKY = /^\/flaky\/[\w-]+\/([\d,]+)$/;
/** Redirect chains: `/redirect/chain/<n>` redirects n times before answering. */
const CHAIN = /^\/redirect\/chain\/(\d+)$/;
/** `/bytes/<n>`: n bytes of HTML-ish text with a Content-Length. */
const BYTES = /^\/bytes\/(\d+)$/;
/** `/slow/<ms>`: answers after ms milliseconds (for politeness measurements). */
const SLOW = /^\/slow\/(\d+)(?:\/.*)?$/;

export class HostileWeb {
  readonly arrivals: Arrival[] = [];
  readonly streams = new Map<string, StreamRecord>();
  private readonly routes = new Map<string, Handler>();
  private readonly hitCounts = new Map<string, number>();
  private inFlight = 0;
  private bomb: { gzip: Buffer; br: Buffer } | undefined;

  private constructor(
    private readonly siteWide: string | undefined,
    private readonly server: Server,
    private readonly server6: Server | undefined,
    private readonly tarpit: TcpServer,
    private readonly tarpitSockets: Set<Socket>,
    readonly port: number,
    readonly tarpitPort: number,
  ) {}

  /**
   * Starts the web on 127.0.0.1 (and on ::1, same port, when IPv6 loopback exists). `siteWide`
   * names one route that answers every request, robots.txt included: a whole host that hangs
   * (`/no-headers`) or drips (`/drip`), as a dead or overloaded site does.
   */
  static async start(options: { readonly siteWide?: string } = {}): Promise<HostileWeb> {
    let web: HostileWeb | undefined;
    const handle = (request: IncomingMessage, response: ServerResponse) =>
      web?.handle(request, response);
    const server = createServer(handle);
    await listen(server, 0, '127.0.0.1');
    const port = (server.address() as AddressInfo).port;
    // On ::1 too, so a guard that let "::1" through would be seen arriving here.
    let server6: Server | undefined = createServer(handle);
    try {
      await listen(server6, port, '::1');
    } catch {
      server6 = undefined;
    }
    // Accepts TCP connections and reads them, but never writes a byte.
    const tarpitSockets = new Set<Socket>();
    const tarpit = tcpServer((socket) => {
      tarpitSockets.add(socket);
      socket.on('close', () => tarpitSockets.delete(socket));
      socket.on('error', () => {});
      socket.resume();
    });
    await listen(tarpit, 0, '127.0.0.1');
    web = new HostileWeb(
      options.siteWide,
      server,
      server6,
      tarpit,
      tarpitSockets,
      port,
      (tarpit.address() as AddressInfo).port,
    );
    return web;
  }

  /** `http://<host>:<port><path>`; host defaults to 127.0.0.1. */
  url(path: string, host = '127.0.0.1'): string {
    return `http://${host}:${this.port}${path}`;
  }

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The tarpit: a TCP server that accepts connections and never answers. */
  get tarpitUrl(): string {
    return `http://127.0.0.1:${this.tarpitPort}/`;
  }

  /** Adds or replaces a route (exact path, query excluded). */
  route(path: string, handler: Handler): void {
    this.routes.set(path, handler);
  }

  /** Requests seen for a path (query included when given), on any host or on one host. */
  hits(pathAndQuery: string, host?: string): Arrival[] {
    return this.arrivals.filter(
      (arrival) => arrival.path === pathAndQuery && (!host || arrival.host === host),
    );
  }

  /** Requests seen whose Host header named this host. */
  hitsOnHost(host: string): Arrival[] {
    return this.arrivals.filter((arrival) => arrival.host === host);
  }

  async close(): Promise<void> {
    for (const server of [this.server, this.server6]) server?.closeAllConnections();
    for (const socket of this.tarpitSockets) socket.destroy();
    await Promise.all([
      close(this.server),
      this.server6 ? close(this.server6) : undefined,
      close(this.tarpit),
    ]);
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const url = new URL(request.url ?? '/', 'http://hostile.invalid');
    const host = (request.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
    this.inFlight += 1;
    let done = false;
    const arrival: Arrival = {
      host,
      path: `${url.pathname}${url.search}`,
      // The wall clock, as the crawler's pacer keeps it: arrivals compare with its slots.
      at: Date.now(),
      inFlight: this.inFlight,
      headers: request.headers,
    };
    const finished = () => {
      if (!done) this.inFlight -= 1;
      done = true;
    };
    // The last byte handed to the socket: the client has the whole response no earlier.
    response.on('finish', () => {
      arrival.endedAt = Date.now();
      finished();
    });
    response.on('close', finished);
    this.arrivals.push(arrival);
    request.resume();
    const route = this.siteWide ?? url.pathname;
    const handler = this.routes.get(route) ?? this.builtIn(route);
    if (handler) handler(request, response, url, this);
    else response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  }

  private builtIn(path: string): Handler | undefined {
    const fixed = BUILT_IN[path];
    if (fixed) return fixed;
    if (STATUS.test(path)) return statusPage;
    if (FLAKY.test(path)) return flaky;
    if (CHAIN.test(path)) return chain;
    if (BYTES.test(path)) return bytes;
    if (SLOW.test(path)) return slow;
    return undefined;
  }

  /** Counts hits per path and query, for stateful routes. */
  countHit(url: URL): number {
    const key = `${url.pathname}${url.search}`;
    const count = (this.hitCounts.get(key) ?? 0) + 1;
    this.hitCounts.set(key, count);
    return count;
  }

  /** 50 MB of zeros, gzipped and brotli-compressed once (about 50 KB and 40 bytes). */
  bombs(): { gzip: Buffer; br: Buffer } {
    if (!this.bomb) {
      const zeros = Buffer.alloc(50 * 1024 * 1024);
      this.bomb = {
        gzip: gzipSync(zeros, { level: 9 }),
        br: brotliCompressSync(zeros, { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } }),
      };
    }
    return this.bomb;
  }

  /** Streams until the client goes away; records how much went out. */
  stream(
    response: ServerResponse,
    name: string,
    next: (write: (chunk: Buffer | string) => boolean) => void,
  ): StreamRecord {
    const record: StreamRecord = { bytesSent: 0, closedByClient: false };
    this.streams.set(name, record);
    response.on('close', () => {
      record.closedByClient = !response.writableEnded;
      record.closedAt = performance.now();
    });
    next((chunk) => {
      if (response.destroyed) return false;
      record.bytesSent += Buffer.byteLength(chunk);
      return response.write(chunk);
    });
    return record;
  }
}

const HTML = 'text/html; charset=utf-8';

function page(title: string, body: string): string {
  return `<!DOCTYPE html><html><head><title>${title}</title></head><body><p>${body}</p></body></html>`;
}

function statusPage(_request: IncomingMessage, response: ServerResponse, url: URL): void {
  const code = Number(STATUS.exec(url.pathname)?.[1]);
  const retryAfter = url.searchParams.get('retry-after');
  response
    .writeHead(code, {
      'content-type': HTML,
      ...(retryAfter ? { 'retry-after': retryAfter } : {}),
    })
    .end(page(`HTTP ${code}`, `status ${code}`));
}

function flaky(
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  web: HostileWeb,
): void {
  const codes = (FLAKY.exec(url.pathname)?.[1] ?? '200').split(',').map(Number);
  const hit = web.countHit(url);
  const code = codes[Math.min(hit, codes.length) - 1] ?? 200;
  const retryAfter = url.searchParams.get('retry-after');
  response
    .writeHead(code, {
      'content-type': HTML,
      ...(code !== 200 && retryAfter ? { 'retry-after': retryAfter } : {}),
    })
    .end(page(`HTTP ${code}`, `hit ${hit} of ${request.url}`));
}

function chain(_request: IncomingMessage, response: ServerResponse, url: URL): void {
  const left = Number(CHAIN.exec(url.pathname)?.[1]);
  if (left === 0) return void response.writeHead(200, { 'content-type': HTML }).end('end of chain');
  response.writeHead(302, { location: `/redirect/chain/${left - 1}` }).end();
}

function bytes(_request: IncomingMessage, response: ServerResponse, url: URL): void {
  const size = Number(BYTES.exec(url.pathname)?.[1]);
  response
    .writeHead(200, { 'content-type': HTML, 'content-length': size })
    .end(Buffer.alloc(size, 'a'));
}

function slow(_request: IncomingMessage, response: ServerResponse, url: URL): void {
  const ms = Number(SLOW.exec(url.pathname)?.[1]);
  const timer = setTimeout(() => response.writeHead(200, { 'content-type': HTML }).end('ok'), ms);
  response.on('close', () => clearTimeout(timer));
}

function encodedPage(): string {
  return page('Encoded', TEXTS.english);
}

/** A robots.txt group that disallows /private/, then comments up to just past `bytes`. */
function robotsPadded(bytes: number, tail: string): string {
  const head = 'User-agent: *\nDisallow: /private/\n';
  const line = `# ${'x'.repeat(77)}\n`;
  return `${head}${line.repeat(Math.ceil((bytes - head.length) / line.length))}${tail}`;
}

/** robots.txt answers that are not a plain 200 or 404, by host name. */
const UNUSUAL_ROBOTS: Record<string, (response: ServerResponse) => void> = {
  /** 600 KiB: a /private/ rule at the top, a /late/ rule past the first 500 KiB. */
  'robots-huge.test': (response) =>
    void response
      .writeHead(200, { 'content-type': 'text/plain' })
      .end(robotsPadded(520 * 1024, 'Disallow: /late/\n') + '#'.repeat(80 * 1024)),
  /** Labelled gzip, is not. */
  'robots-lying-gzip.test': (response) =>
    void response
      .writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'gzip' })
      .end('User-agent: *\nDisallow: /\n'),
  /** Redirects to itself forever. */
  'robots-loop.test': (response) => void response.writeHead(301, { location: '/robots.txt' }).end(),
  'robots-403.test': (response) => void response.writeHead(403).end('forbidden'),
  'robots-429.test': (response) => void response.writeHead(429).end('slow down'),
};

/** The fixed routes of the hostile web. */
const BUILT_IN: Record<string, Handler> = {
  /**
   * robots.txt by host name: deny.test, crawl-delay.test, robots-500.test, and the unreadable
   * or unusual ones below (RFC 9309); elsewhere 404.
   */
  '/robots.txt': (request, response) => {
    const host = (request.headers.host ?? '').replace(/:\d+$/, '');
    const unusual = UNUSUAL_ROBOTS[host];
    if (unusual) return unusual(response);
    if (host === 'deny.test') {
      return void response
        .writeHead(200, { 'content-type': 'text/plain' })
        .end('User-agent: *\nDisallow: /private/\n');
    }
    if (host === 'crawl-delay.test') {
      return void response
        .writeHead(200, { 'content-type': 'text/plain' })
        .end('User-agent: story-digest\nCrawl-delay: 0.3\nAllow: /\n');
    }
    if (host === 'robots-500.test') return void response.writeHead(500).end('robots broke');
    response.writeHead(404, { 'content-type': 'text/plain' }).end('no robots here');
  },
  '/ok': (_request, response) =>
    void response.writeHead(200, { 'content-type': HTML }).end(page('OK', 'fine')),
  /** Echoes the request headers as JSON. */
  '/echo': (request, response) =>
    void response
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify(request.headers)),
  /** One byte per second, forever. */
  '/drip': (_request, response, _url, web) => {
    response.writeHead(200, { 'content-type': HTML });
    web.stream(response, '/drip', (write) => {
      write('<');
      const timer = setInterval(() => write('p'), 1_000);
      response.on('close', () => clearInterval(timer));
    });
  },
  /** As much as the client will take, forever. */
  '/endless': (_request, response, _url, web) => {
    response.writeHead(200, { 'content-type': HTML });
    const chunk = Buffer.alloc(16 * 1024, 'x');
    web.stream(response, '/endless', (write) => {
      const pump = () => {
        while (!response.destroyed && write(chunk)) {}
        if (!response.destroyed) response.once('drain', pump);
      };
      pump();
    });
  },
  '/gzip-bomb': (_request, response, _url, web) =>
    void response
      .writeHead(200, { 'content-type': HTML, 'content-encoding': 'gzip' })
      .end(web.bombs().gzip),
  '/br-bomb': (_request, response, _url, web) =>
    void response
      .writeHead(200, { 'content-type': HTML, 'content-encoding': 'br' })
      .end(web.bombs().br),
  '/encoded/gzip': (_request, response) =>
    void response
      .writeHead(200, { 'content-type': HTML, 'content-encoding': 'gzip' })
      .end(gzipSync(encodedPage())),
  '/encoded/deflate': (_request, response) =>
    void response
      .writeHead(200, { 'content-type': HTML, 'content-encoding': 'deflate' })
      .end(deflateSync(encodedPage())),
  /** "deflate" as some servers send it: raw, without the zlib wrapper. */
  '/encoded/deflate-raw': (_request, response) =>
    void response
      .writeHead(200, { 'content-type': HTML, 'content-encoding': 'deflate' })
      .end(deflateRawSync(encodedPage())),
  '/encoded/br': (_request, response) =>
    void response
      .writeHead(200, { 'content-type': HTML, 'content-encoding': 'br' })
      .end(brotliCompressSync(encodedPage())),
  /** Says gzip, is not. */
  '/encoded/lying-gzip': (_request, response) =>
    void response
      .writeHead(200, { 'content-type': HTML, 'content-encoding': 'gzip' })
      .end(encodedPage()),
  '/encoded/zstd': (_request, response) =>
    void response
      .writeHead(200, { 'content-type': HTML, 'content-encoding': 'zstd' })
      .end(Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0, 0, 0, 0])),
  /** The header says Latin-1; the bytes are UTF-8. */
  '/charset/utf8-labelled-latin1': (_request, response) =>
    void response
      .writeHead(200, { 'content-type': 'text/html; charset=iso-8859-1' })
      .end(Buffer.from(page('Mislabelled', TEXTS.english), 'utf8')),
  /** windows-1251 declared only by a <meta> tag; no charset in the header. */
  '/charset/cp1251-meta': (_request, response) =>
    void response
      .writeHead(200, { 'content-type': 'text/html' })
      .end(
        encodeSingleByte(
          `<html><head><meta charset="windows-1251"><title>С-400</title></head><body><p>${TEXTS.cyrillicMeta}</p></body></html>`,
          'windows-1251',
        ),
      ),
  /** Cyrillic windows-1251, declared nowhere. */
  '/charset/cp1251-bare': (_request, response) =>
    void response
      .writeHead(200, { 'content-type': 'text/html' })
      .end(encodeSingleByte(`<p>${TEXTS.russian}</p>`, 'windows-1251')),
  /** Turkish windows-1254, declared nowhere. */
  '/charset/cp1254-bare': (_request, response) =>
    void response
      .writeHead(200, { 'content-type': 'text/html' })
      .end(encodeSingleByte(`<p>${TEXTS.turkish}</p>`, 'windows-1254')),
  /** UTF-16 little-endian with a byte-order mark, declared nowhere. */
  '/charset/utf16le-bom': (_request, response) =>
    void response
      .writeHead(200, { 'content-type': 'text/html' })
      .end(
        Buffer.concat([
          Buffer.from([0xff, 0xfe]),
          Buffer.from(page('UTF-16', TEXTS.turkish), 'utf16le'),
        ]),
      ),
  /** UTF-16 big-endian with a byte-order mark, and a header that wrongly says UTF-8. */
  '/charset/utf16be-bom': (_request, response) =>
    void response
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      .end(
        Buffer.concat([
          Buffer.from([0xfe, 0xff]),
          Buffer.from(page('UTF-16', TEXTS.russian), 'utf16le').swap16(),
        ]),
      ),
  '/redirect/loop-a': (_request, response) =>
    void response.writeHead(302, { location: '/redirect/loop-b' }).end(),
  '/redirect/loop-b': (_request, response) =>
    void response.writeHead(301, { location: '/redirect/loop-a' }).end(),
  /** Redirects wherever `?to=` says. */
  '/redirect/to': (_request, response, url) =>
    void response.writeHead(302, { location: url.searchParams.get('to') ?? '/' }).end(),
  '/empty': (_request, response) =>
    void response.writeHead(200, { 'content-type': HTML, 'content-length': 0 }).end(),
  '/empty-gzip': (_request, response) =>
    void response
      .writeHead(200, { 'content-type': HTML, 'content-encoding': 'gzip', 'content-length': 0 })
      .end(),
  /** Promises 10,000 bytes, sends 1,000, then resets the connection. */
  '/reset-mid-body': (_request, response) => {
    response.writeHead(200, { 'content-type': HTML, 'content-length': 10_000 });
    response.write(Buffer.alloc(1_000, 'r'), () =>
      setTimeout(() => response.socket?.resetAndDestroy(), 20),
    );
  },
  /** Hangs up as soon as the request arrives. */
  '/hang-up': (_request, response) => void response.socket?.destroy(),
  /** Reads the request, never answers. */
  '/no-headers': () => {},
  /** 64 KB of response headers. */
  '/header-flood': (_request, response) =>
    void response
      .writeHead(200, { 'content-type': HTML, 'x-flood': 'f'.repeat(64 * 1024) })
      .end('ok'),
  '/etag': (request, response) => {
    if (request.headers['if-none-match'] === '"v1"') return void response.writeHead(304).end();
    response.writeHead(200, { 'content-type': HTML, etag: '"v1"' }).end(page('Tagged', 'v1'));
  },
  '/last-modified': (request, response) => {
    const stamp = 'Fri, 12 Jul 2019 10:40:00 GMT';
    if (request.headers['if-modified-since'] === stamp) return void response.writeHead(304).end();
    response
      .writeHead(200, { 'content-type': HTML, 'last-modified': stamp })
      .end(page('Dated', 'v1'));
  },
  /** Not XML at all: a JSON error where a feed should be. */
  '/feed/json': (_request, response) =>
    void response
      .writeHead(200, { 'content-type': 'application/rss+xml' })
      .end('{"error":"rate limited"}'),
  /** An HTML error page where a feed should be. */
  '/feed/html': (_request, response) =>
    void response
      .writeHead(200, { 'content-type': 'application/rss+xml' })
      .end('<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>'),
  /** A feed cut off in the middle of its second item. */
  '/feed/truncated': (request, response) => {
    const base = `http://${request.headers.host}`;
    response
      .writeHead(200, { 'content-type': 'application/rss+xml' })
      .end(
        `<?xml version="1.0"?><rss version="2.0"><channel><title>Cut</title><item><title>One</title><link>${base}/a/1</link></item><item><title>Two</title><link>${base}/a/2</li`,
      );
  },
  /** 10,000 items, gzipped. */
  '/feed/10k': (request, response) => {
    const base = `http://${request.headers.host}`;
    const items: string[] = [];
    for (let index = 0; index < 10_000; index += 1) {
      items.push(
        `<item><title>S-400 Turkey item ${index}</title><link>${base}/news/${index}.html</link><guid>${base}/news/${index}.html</guid><pubDate>Fri, 12 Jul 2019 09:30:00 +0300</pubDate><description>Item ${index} about the S-400 in Turkey</description></item>`,
      );
    }
    response
      .writeHead(200, { 'content-type': 'application/rss+xml', 'content-encoding': 'gzip' })
      .end(
        gzipSync(
          `<?xml version="1.0"?><rss version="2.0"><channel><title>Flood</title>${items.join('')}</channel></rss>`,
        ),
      );
  },
  /** The same entry three times under one GUID: twice verbatim, once with tracking junk. */
  '/feed/duplicate-guids': (request, response) => {
    const base = `http://${request.headers.host}`;
    const item = (link: string) =>
      `<item><title>S-400 parts land in Ankara</title><link>${link}</link><guid isPermaLink="false">s400-murted-1</guid></item>`;
    response
      .writeHead(200, { 'content-type': 'application/rss+xml' })
      .end(
        `<rss version="2.0"><channel><title>Dupes</title>${item(`${base}/news/murted.html`)}${item(`${base}/news/murted.html`)}${item(`${base}/news/murted.html?utm_source=rss&utm_medium=feed#top`)}</channel></rss>`,
      );
  },
  /** A healthy article: the sample page, its {{origin}} replaced by this server's. */
  [SAMPLE_ARTICLE_PATH]: (request, response) =>
    void response
      .writeHead(200, { 'content-type': HTML })
      .end(
        readFileSync(SAMPLE_ARTICLE, 'utf8').replaceAll(
          '{{origin}}',
          `http://${request.headers.host}`,
        ),
      ),
  /** The healthy article, served as text/plain. */
  '/as-text-plain': (request, response) =>
    void response
      .writeHead(200, { 'content-type': 'text/plain; charset=utf-8' })
      .end(
        readFileSync(SAMPLE_ARTICLE, 'utf8').replaceAll(
          '{{origin}}',
          `http://${request.headers.host}`,
        ),
      ),
  /** Plain text that is not HTML, served as text/plain. */
  '/plain-text': (_request, response) =>
    void response
      .writeHead(200, { 'content-type': 'text/plain' })
      .end('S-400 deliveries to Turkey: a plain-text bulletin, not a web page.\n'),
  /** A PNG image, served as text/html. */
  '/png-as-html': (_request, response) =>
    void response.writeHead(200, { 'content-type': 'text/html' }).end(pngBytes()),
};

/** A valid 1×1 PNG followed by 4 KB of deterministic binary noise. */
export function pngBytes(): Buffer {
  const png = Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
    'base64',
  );
  const noise = Buffer.alloc(4096);
  let seed = 0x2545f491;
  for (let index = 0; index < noise.length; index += 1) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    noise[index] = seed >>> 24;
  }
  return Buffer.concat([png, noise]);
}

/** Encodes text in a single-byte code page (the table is read back from TextDecoder). */
export function encodeSingleByte(text: string, label: string): Buffer {
  const decoder = new TextDecoder(label);
  const table = new Map<string, number>();
  for (let byte = 0; byte < 256; byte += 1) {
    table.set(decoder.decode(Uint8Array.of(byte)), byte);
  }
  return Buffer.from(
    [...text].map((char) => {
      const byte = table.get(char);
      if (byte === undefined) throw new Error(`${label} has no "${char}"`);
      return byte;
    }),
  );
}

/**
 * A lookup for test host names: each name maps to the addresses given (e.g. `metadata.test` to
 * 169.254.169.254); every other name fails with ENOTFOUND, so no real DNS query ever leaves the
 * machine. Records every name asked for.
 */
export function testLookup(hosts: Record<string, string | string[]>): Lookup & {
  readonly asked: string[];
} {
  const asked: string[] = [];
  const lookup: Lookup = (hostname, options, callback) => {
    const name = hostname.toLowerCase();
    asked.push(name);
    const found = hosts[name];
    const addresses = (Array.isArray(found) ? found : found ? [found] : []).map((address) => ({
      address,
      family: isIP(address),
    }));
    setImmediate(() => {
      if (addresses.length === 0) {
        return callback(
          Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }),
          '',
        );
      }
      if (options.all) return callback(null, addresses);
      const [first] = addresses as [LookupAddress];
      callback(null, first.address, first.family);
    });
  };
  return Object.assign(lookup, { asked });
}

/** One outgoing TCP connection attempt seen by the tripwire. */
export interface ConnectAttempt {
  /** The host the socket was asked to connect to (a name or an address). */
  readonly host: string;
  readonly port: number;
  /** The address it was about to connect to, once resolved; undefined when resolution failed. */
  readonly address?: string;
  /** Set when the lookup (e.g. the address guard inside it) refused: no connection followed. */
  readonly lookupError?: string;
  /** True when the tripwire stopped it: the address was outside loopback. */
  readonly blocked: boolean;
}

export interface NetworkTripwire {
  readonly attempts: ConnectAttempt[];
  /** Attempts that got as far as an address (connections that were, or would have been, made). */
  connectionsTo(host: string): ConnectAttempt[];
  restore(): void;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/i;

/**
 * Patches net.Socket#connect in this process so that no TCP connection can leave loopback:
 * every attempt is recorded, and one whose address (a literal, or what the socket's lookup
 * resolved — after any address guard inside that lookup) is outside 127.0.0.0/8 and ::1 is
 * failed before the socket is created at the OS level. `virtual` maps stand-in public addresses
 * (documentation ranges such as 198.51.100.0/24) to loopback, like a NAT: code under test sees a
 * public address and may connect to it, and the connection lands on the local server. This is
 * what lets a client with its address guard ON reach a local hostile server at all.
 */
export function installNetworkTripwire(virtual: Record<string, string> = {}): NetworkTripwire {
  const attempts: ConnectAttempt[] = [];
  const original = Socket.prototype.connect;
  const route = (address: string) => virtual[address] ?? address;
  const blockedLookup: Lookup = (hostname, _options, callback) =>
    process.nextTick(() =>
      callback(
        Object.assign(new Error(`tripwire: connection to ${hostname} outside loopback blocked`), {
          code: 'ETRIPWIRE',
        }),
        '',
      ),
    );

  // biome-ignore lint/suspicious/noExplicitAny: net.Socket#connect is overloaded; arguments are inspected below.
  Socket.prototype.connect = function connect(this: Socket, ...args: any[]) {
    // net.connect() passes its normalised [options, callback] array as the first argument.
    const options = Array.isArray(args[0]) ? args[0][0] : args[0];
    if (typeof options !== 'object' || options === null) {
      const host = typeof args[1] === 'string' ? args[1] : 'localhost';
      if (host !== 'localhost' && !LOOPBACK.test(host))
        throw new Error(`tripwire: connection to ${host} outside loopback blocked`);
      return original.apply(this, args as never);
    }
    // A Unix socket has a path and no port (node:http also passes the request's path along).
    if (options.path != null && options.port == null) return original.apply(this, args as never);
    const host = String(options.host ?? 'localhost').replace(/^\[|\]$/g, '');
    const port = Number(options.port);
    if (isIP(host)) {
      const target = route(host);
      const blocked = !LOOPBACK.test(target);
      attempts.push({ host, port, address: target, blocked });
      if (blocked) {
        options.host = 'tripwire.invalid';
        options.lookup = blockedLookup;
      } else options.host = target;
      return original.apply(this, args as never);
    }
    const inner: Lookup = options.lookup ?? (dnsLookup as Lookup);
    options.lookup = ((hostname, lookupOptions, callback) =>
      inner(hostname, lookupOptions, (error, address, family) => {
        if (error) {
          attempts.push({ host, port, lookupError: error.message, blocked: false });
          return callback(error, address, family);
        }
        const list: LookupAddress[] = Array.isArray(address)
          ? address.map((entry) => ({ ...entry, address: route(entry.address) }))
          : [{ address: route(address), family: family ?? isIP(route(address)) }];
        const outside = list.find((entry) => !LOOPBACK.test(entry.address));
        for (const entry of list) {
          attempts.push({ host, port, address: entry.address, blocked: entry === outside });
        }
        if (outside) return blockedLookup(hostname, lookupOptions, callback);
        if (Array.isArray(address)) return callback(null, list);
        const [first] = list as [LookupAddress];
        callback(null, first.address, first.family);
      })) satisfies Lookup;
    return original.apply(this, args as never);
  } as typeof Socket.prototype.connect;

  return {
    attempts,
    connectionsTo: (host) =>
      attempts.filter((attempt) => attempt.host === host && attempt.address !== undefined),
    restore: () => {
      Socket.prototype.connect = original;
    },
  };
}

function listen(server: Server | TcpServer, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function close(server: Server | TcpServer): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}
