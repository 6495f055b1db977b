import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { FetchError } from '../core/errors.js';
import type { ConditionalGet, HttpClient, HttpResponse } from '../core/ports.js';

export interface HttpClientOptions {
  readonly userAgent: string;
  readonly timeoutMs: number;
  readonly maxBytes: number;
  /** Loopback and private addresses are refused unless the story opts in (sample site, tests). */
  readonly allowPrivateNetworks: boolean;
}

const MAX_REDIRECTS = 5;

/** Addresses a crawler must never reach on a page's say-so (cloud metadata, the local network). */
const PRIVATE = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  PRIVATE.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  PRIVATE.addSubnet(network, prefix, 'ipv6');
}

/**
 * HTTP GET for feeds and pages: a named User-Agent, a timeout over the whole exchange, a body
 * size cap enforced while streaming, redirects followed by hand so each hop passes the address
 * check. Any status is returned; network failures reject with FetchError naming the URL.
 */
export class NodeHttpClient implements HttpClient {
  constructor(private readonly options: HttpClientOptions) {}

  async get(url: string, conditional: ConditionalGet = {}): Promise<HttpResponse> {
    const signal = AbortSignal.timeout(this.options.timeoutMs);
    let current = url;
    for (let hop = 0; hop <= MAX_REDIRECTS; hop += 1) {
      await this.checkAddress(current);
      let response: Response;
      try {
        response = await fetch(current, {
          redirect: 'manual',
          signal,
          headers: {
            'user-agent': this.options.userAgent,
            accept:
              'text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,application/xml;q=0.9,*/*;q=0.8',
            ...(conditional.etag ? { 'if-none-match': conditional.etag } : {}),
            ...(conditional.lastModified ? { 'if-modified-since': conditional.lastModified } : {}),
          },
        });
      } catch (error) {
        const reason = signal.aborted
          ? `timed out after ${this.options.timeoutMs} ms`
          : describeCause(error);
        throw new FetchError(current, reason, false, { cause: error });
      }
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && response.status !== 304 && location) {
        await response.body?.cancel();
        current = new URL(location, current).href;
        continue;
      }
      const body = await this.readCapped(current, response, signal);
      return {
        url,
        finalUrl: current,
        status: response.status,
        headers: Object.fromEntries(response.headers),
        body,
      };
    }
    throw new FetchError(url, `more than ${MAX_REDIRECTS} redirects`, true);
  }

  private async checkAddress(url: string): Promise<void> {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new FetchError(url, `scheme ${parsed.protocol} refused`, true);
    }
    if (this.options.allowPrivateNetworks) return;
    const host = parsed.hostname.replace(/^\[|\]$/g, '');
    const addresses = isIP(host)
      ? [{ address: host, family: isIP(host) }]
      : await lookup(host, { all: true }).catch((error: unknown) => {
          throw new FetchError(url, `DNS lookup failed (${describeCause(error)})`, false, {
            cause: error,
          });
        });
    for (const { address, family } of addresses) {
      if (PRIVATE.check(address, family === 6 ? 'ipv6' : 'ipv4')) {
        throw new FetchError(url, `address ${address} is private or loopback (refused)`, true);
      }
    }
  }

  private async readCapped(
    url: string,
    response: Response,
    signal: AbortSignal,
  ): Promise<Uint8Array> {
    if (!response.body) return new Uint8Array();
    const chunks: Uint8Array[] = [];
    let size = 0;
    try {
      for await (const chunk of response.body) {
        size += chunk.byteLength;
        if (size > this.options.maxBytes) {
          // Leaving the loop cancels the stream: the rest of the body is never downloaded.
          throw new FetchError(url, `body larger than ${this.options.maxBytes} bytes`, true);
        }
        chunks.push(chunk);
      }
    } catch (error) {
      if (error instanceof FetchError) throw error;
      const reason = signal.aborted
        ? `timed out after ${this.options.timeoutMs} ms`
        : describeCause(error);
      throw new FetchError(url, `body unreadable: ${reason}`, false, { cause: error });
    }
    return Buffer.concat(chunks);
  }
}

function describeCause(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}

export function userAgentFor(contactUrl: string): string {
  return `story-digest/0.1 (+${contactUrl})`;
}
