export interface HttpResponse {
  readonly url: string;
  /** After redirects. */
  readonly finalUrl: string;
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
}

export interface ConditionalGet {
  readonly etag?: string;
  readonly lastModified?: string;
}

export interface GetOptions {
  /**
   * Return at most this many bytes of the decoded body instead of failing on a larger one (the
   * size caps otherwise refuse it): robots.txt is read that way (RFC 9309 parses its first
   * 500 KiB).
   */
  readonly truncateAt?: number;
}

export interface HttpClient {
  /** Resolves with any HTTP status (304 included); rejects with FetchError on network failure. */
  get(url: string, conditional?: ConditionalGet, options?: GetOptions): Promise<HttpResponse>;
}

/**
 * Spaces the requests to each host. `reserve` books the next start slot for a host (at least
 * `delayMs` after the previous booking) and returns it as epoch milliseconds; the caller waits
 * until then. Shared through DynamoDB, it holds across every Lambda container.
 */
export interface HostPacer {
  reserve(host: string, delayMs: number): Promise<number>;
}

/** Whether the crawler may fetch a URL at all, asked before it is queued. */
export interface UrlPolicy {
  /** The reason the URL is refused (e.g. "private address"), or undefined. */
  refusal(url: string): string | undefined;
}
