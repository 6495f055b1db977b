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

/** A host's turn: when to start, or until when the host must not be asked, and why. */
export type HostTurn =
  | {
      /** Epoch milliseconds: the request starts then, not before. */
      readonly at: number;
      /** The host's last requests failed: a success should clear its record (`recovered`). */
      readonly failing: boolean;
    }
  | {
      /** Epoch milliseconds: no request to the host before then. */
      readonly closedUntil: number;
      /** Why: a Retry-After longer than a call waits, or a host given up after failing. */
      readonly reason: string;
    };

/** A host's record of failures, as it stands after one more. */
export interface HostFailures {
  /** Consecutive failed requests, this one included. */
  readonly streak: number;
  /** Epoch milliseconds of the last success recorded after failures, if any. */
  readonly lastRecoveredAt?: number;
}

/**
 * Keeps each host's pacing state: its next start slot, failures and pauses. `reserve` books the
 * next start slot for a host (at least `delayMs` after the previous booking) unless the host is
 * closed (paused by a long Retry-After, or given up after failing). Shared through DynamoDB, it
 * holds across every Lambda container and invocation.
 */
export interface HostPacer {
  reserve(host: string, delayMs: number): Promise<HostTurn>;
  /** Counts a failed request to the host (a network error, a timeout, a 5xx or 429). */
  failed(host: string, at: number): Promise<HostFailures>;
  /** Clears the failure count after a request to a failing host succeeded. */
  recovered(host: string, at: number): Promise<void>;
  /** Closes the host until `until` (epoch ms), with the reason requests will be refused. */
  close(host: string, until: number, reason: string): Promise<void>;
}

/** Whether the crawler may fetch a URL at all, asked before it is queued. */
export interface UrlPolicy {
  /** The reason the URL is refused (e.g. "private address"), or undefined. */
  refusal(url: string): string | undefined;
}
