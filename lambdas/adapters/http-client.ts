import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { Agent as HttpAgent, type IncomingMessage, request } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { isIP, type Socket } from 'node:net';
import {
  brotliDecompressSync,
  constants,
  gunzipSync,
  inflateRawSync,
  inflateSync,
  type ZlibOptions,
} from 'node:zlib';
import { FetchError } from '../core/model/errors.js';
import type { ConditionalGet, GetOptions, HttpClient, HttpResponse } from '../core/ports/http.js';
import { forbiddenAddress } from './address-guard.js';

/** `dns.lookup`'s shape; tests inject one that maps test host names to chosen addresses. */
export type Lookup = (
  hostname: string,
  options: LookupOptions,
  callback: (
    error: NodeJS.ErrnoException | null,
    address: string | LookupAddress[],
    family?: number,
  ) => void,
) => void;

export interface HttpClientOptions {
  readonly userAgent: string;
  /** TCP (and TLS) connection set-up. */
  readonly connectTimeoutMs: number;
  /** From the request sent to the response headers. */
  readonly headersTimeoutMs: number;
  /** The whole exchange, body included: a server that drips bytes is cut off here. */
  readonly totalTimeoutMs: number;
  /** Bytes on the wire. */
  readonly maxBytes: number;
  /** Bytes after gzip/deflate/br decoding: a decompression bomb stops here. */
  readonly maxDecodedBytes: number;
  /** Loopback and private addresses are refused unless the story opts in (sample site, tests). */
  readonly allowPrivateNetworks: boolean;
  readonly lookup?: Lookup;
}

const MAX_REDIRECTS = 5;
const ACCEPT =
  'text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,application/xml;q=0.9,*/*;q=0.8';

/**
 * HTTP GET for feeds and pages, safe against hostile servers: every connection's resolved
 * address passes the address guard inside DNS resolution (so a refused address is never
 * connected to, and DNS rebinding between check and connect is impossible); separate connect,
 * headers and total timeouts; wire and decoded size caps; at most five redirects, each hop
 * checked again. Any status is returned; network failures reject with a FetchError naming the URL.
 */
export class NodeHttpClient implements HttpClient {
  /**
   * Node's own HTTP stack (no HTTP library in the bundle): kept-alive connections, at most 8 per
   * host, every new one resolved through the guarded lookup.
   */
  private readonly agents: { readonly 'http:': HttpAgent; readonly 'https:': HttpsAgent };

  constructor(private readonly options: HttpClientOptions) {
    const resolve = options.lookup ?? (dnsLookup as Lookup);
    const agentOptions = {
      keepAlive: true,
      maxSockets: 8,
      lookup: guardedLookup(resolve, options.allowPrivateNetworks) as never,
    };
    this.agents = { 'http:': new HttpAgent(agentOptions), 'https:': new HttpsAgent(agentOptions) };
  }

  async get(
    url: string,
    conditional: ConditionalGet = {},
    options: GetOptions = {},
  ): Promise<HttpResponse> {
    const signal = AbortSignal.timeout(this.options.totalTimeoutMs);
    const visited = new Set<string>();
    let current = url;
    for (let hop = 0; hop <= MAX_REDIRECTS; hop += 1) {
      this.checkUrl(current);
      if (visited.has(current)) throw new FetchError(url, `redirect loop at ${current}`, true);
      visited.add(current);
      const response = await this.send(current, conditional, signal);
      const location = header(response.headers, 'location');
      if (
        response.statusCode >= 300 &&
        response.statusCode < 400 &&
        response.statusCode !== 304 &&
        location
      ) {
        response.body.destroy();
        current = resolveLocation(location, current, url);
        continue;
      }
      const headers = flattenHeaders(response.headers);
      const coding = (headers['content-encoding'] ?? '').trim().toLowerCase();
      const identity = !coding || coding === 'identity';
      const { truncateAt } = options;
      // A truncated read stops downloading at the prefix it keeps; an encoded body is read up to
      // the wire cap and its decoded prefix kept.
      const wireLimit =
        truncateAt === undefined ? undefined : identity ? truncateAt : this.options.maxBytes;
      const wire = await this.readCapped(current, response.body, signal, wireLimit);
      const body = this.decode(current, wire, coding, truncateAt !== undefined);
      return {
        url,
        finalUrl: current,
        status: response.statusCode,
        headers,
        body: truncateAt === undefined ? body : body.subarray(0, truncateAt),
      };
    }
    throw new FetchError(url, `more than ${MAX_REDIRECTS} redirects`, true);
  }

  async close(): Promise<void> {
    this.agents['http:'].destroy();
    this.agents['https:'].destroy();
  }

  private checkUrl(url: string): void {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new FetchError(url, `scheme ${parsed.protocol} refused`, true);
    }
    // An IP literal is connected to without a DNS lookup, so it is checked here.
    const host = parsed.hostname.replace(/^\[|\]$/g, '');
    if (!this.options.allowPrivateNetworks && isIP(host) && forbiddenAddress(host)) {
      throw new FetchError(
        url,
        `address ${host} is private, loopback or link-local (refused)`,
        true,
      );
    }
  }

  private async send(
    url: string,
    conditional: ConditionalGet,
    signal: AbortSignal,
  ): Promise<{ statusCode: number; headers: IncomingMessage['headers']; body: IncomingMessage }> {
    try {
      const body = await this.exchange(url, conditional, signal);
      return { statusCode: body.statusCode ?? 0, headers: body.headers, body };
    } catch (error) {
      throw this.networkError(url, error, signal);
    }
  }

  /**
   * One request: resolves with the response once its headers are in. A new connection must be
   * made within the connect timeout and the headers must follow within the headers timeout; the
   * total timeout (`signal`) covers everything, the body included.
   */
  private exchange(
    url: string,
    conditional: ConditionalGet,
    signal: AbortSignal,
  ): Promise<IncomingMessage> {
    const parsed = new URL(url);
    return new Promise<IncomingMessage>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const fail = (code: string, message: string) => {
        req.destroy(Object.assign(new Error(message), { code }));
      };
      const req = request(
        parsed,
        {
          method: 'GET',
          agent: this.agents[parsed.protocol as 'http:' | 'https:'],
          signal,
          headers: {
            'user-agent': this.options.userAgent,
            accept: ACCEPT,
            'accept-encoding': 'gzip, deflate, br',
            ...(conditional.etag ? { 'if-none-match': conditional.etag } : {}),
            ...(conditional.lastModified ? { 'if-modified-since': conditional.lastModified } : {}),
          },
        },
        (response) => {
          clearTimeout(timer);
          resolve(response);
        },
      );
      req.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      req.once('socket', (socket: Socket) => {
        const awaitHeaders = () => {
          clearTimeout(timer);
          timer = setTimeout(
            () => fail('HEADERS_TIMEOUT', 'no response headers in time'),
            this.options.headersTimeoutMs,
          );
        };
        // A kept-alive socket is connected already; a new one gets the connect timeout first.
        if (!socket.connecting) return awaitHeaders();
        timer = setTimeout(
          () => fail('CONNECT_TIMEOUT', 'connect timed out'),
          this.options.connectTimeoutMs,
        );
        socket.once(parsed.protocol === 'https:' ? 'secureConnect' : 'connect', awaitHeaders);
      });
      req.end();
    });
  }

  /**
   * The body, at most maxBytes of it (more is an error), or with `truncateAt` its first
   * `truncateAt` bytes (the rest is never downloaded).
   */
  private async readCapped(
    url: string,
    body: AsyncIterable<Uint8Array>,
    signal: AbortSignal,
    truncateAt?: number,
  ): Promise<Buffer> {
    const chunks: Uint8Array[] = [];
    let size = 0;
    try {
      for await (const chunk of body) {
        if (truncateAt !== undefined && size + chunk.byteLength >= truncateAt) {
          chunks.push(chunk.subarray(0, truncateAt - size));
          break; // leaving the loop destroys the stream
        }
        size += chunk.byteLength;
        // Leaving the loop destroys the stream: the rest of the body is never downloaded.
        if (truncateAt === undefined && size > this.options.maxBytes) {
          throw new FetchError(url, `body larger than ${this.options.maxBytes} bytes`, true);
        }
        chunks.push(chunk);
      }
    } catch (error) {
      if (error instanceof FetchError) throw error;
      throw this.networkError(url, error, signal, 'body unreadable: ');
    }
    return Buffer.concat(chunks);
  }

  /** `partial`: the wire may have been cut short, so a stream that stops mid-way is kept as read. */
  private decode(url: string, wire: Buffer, coding: string, partial = false): Uint8Array {
    if (!coding || coding === 'identity' || wire.length === 0) return wire;
    const limit: ZlibOptions = {
      maxOutputLength: this.options.maxDecodedBytes,
      ...(partial ? { finishFlush: constants.Z_SYNC_FLUSH } : {}),
    };
    try {
      if (coding === 'gzip' || coding === 'x-gzip') return gunzipSync(wire, limit);
      if (coding === 'br') {
        return brotliDecompressSync(wire, {
          maxOutputLength: this.options.maxDecodedBytes,
          ...(partial ? { finishFlush: constants.BROTLI_OPERATION_FLUSH } : {}),
        });
      }
      if (coding === 'deflate') {
        // "deflate" is zlib-wrapped by the standard and raw on some servers.
        try {
          return inflateSync(wire, limit);
        } catch (error) {
          if (isSizeError(error)) throw error;
          return inflateRawSync(wire, limit);
        }
      }
    } catch (error) {
      if (isSizeError(error)) {
        throw new FetchError(
          url,
          `decoded body larger than ${this.options.maxDecodedBytes} bytes`,
          true,
          {
            cause: error,
          },
        );
      }
      throw new FetchError(url, `body is not valid ${coding}`, true, { cause: error });
    }
    throw new FetchError(url, `unsupported content-encoding "${coding}"`, true);
  }

  private networkError(url: string, error: unknown, signal: AbortSignal, prefix = ''): FetchError {
    // The address guard refuses from inside DNS resolution, where only the host name is known,
    // and the request fails with that FetchError as it is: re-state it for the URL being fetched.
    if (error instanceof FetchError && error.url === url) return error;
    const cause = error instanceof FetchError ? error : innermost(error);
    if (cause instanceof FetchError)
      return new FetchError(url, cause.message.replace(/^[^ ]+: /, ''), cause.permanent, { cause });
    const reason = signal.aborted
      ? `timed out after ${this.options.totalTimeoutMs} ms`
      : describeNetworkError(error);
    return new FetchError(url, `${prefix}${reason}`, false, { cause: error });
  }
}

/** Wraps a lookup so that no connection is ever made to a forbidden address. */
function guardedLookup(resolve: Lookup, allowPrivateNetworks: boolean): Lookup {
  return (hostname, options, callback) => {
    resolve(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '');
      const list = (addresses as LookupAddress[]).filter(
        (entry) => !options.family || entry.family === options.family,
      );
      const refused = allowPrivateNetworks
        ? undefined
        : list.find((entry) => forbiddenAddress(entry.address));
      if (refused) {
        const detail = `${hostname} resolves to ${refused.address}, a private, loopback or link-local address (refused)`;
        return callback(new FetchError(hostname, detail, true) as NodeJS.ErrnoException, '');
      }
      if (list.length === 0)
        return callback(
          Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }),
          '',
        );
      if (options.all) return callback(null, list);
      const [first] = list as [LookupAddress];
      callback(null, first.address, first.family);
    });
  };
}

function resolveLocation(location: string, base: string, original: string): string {
  try {
    return new URL(location, base).href;
  } catch (error) {
    throw new FetchError(original, `redirect to an invalid URL "${location}"`, true, {
      cause: error,
    });
  }
}

function header(
  headers: Record<string, string | string[] | undefined>,
  name: string,
): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function flattenHeaders(
  headers: Record<string, string | string[] | undefined>,
): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined)
      flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

function isSizeError(error: unknown): boolean {
  return (
    error instanceof RangeError || (error as NodeJS.ErrnoException)?.code === 'ERR_BUFFER_TOO_LARGE'
  );
}

function innermost(error: unknown): unknown {
  let current = error;
  for (let depth = 0; depth < 5 && current instanceof Error && current.cause; depth += 1)
    current = current.cause;
  return current;
}

function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as NodeJS.ErrnoException).code;
  const cause = error.cause instanceof Error ? error.cause : undefined;
  const causeCode = (cause as NodeJS.ErrnoException | undefined)?.code;
  const names: Record<string, string> = {
    CONNECT_TIMEOUT: 'connect timed out',
    HEADERS_TIMEOUT: 'no response headers in time',
    ECONNRESET: 'connection reset',
    HPE_HEADER_OVERFLOW: 'response headers too large',
    ECONNREFUSED: 'connection refused',
    ENOTFOUND: 'host not found',
  };
  const known = names[code ?? ''] ?? names[causeCode ?? ''];
  return known
    ? `${known} (${code ?? causeCode})`
    : `${error.message}${cause ? `: ${cause.message}` : ''}`;
}

export function userAgentFor(contactUrl: string): string {
  return `story-digest/0.1 (+${contactUrl})`;
}
