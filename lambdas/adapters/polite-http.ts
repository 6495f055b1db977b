import robotsParserModule from 'robots-parser';
import { FetchError } from '../core/model/errors.js';
import { failureReason } from '../core/model/metric-names.js';
import type { ConditionalGet, HostPacer, HttpClient, HttpResponse } from '../core/ports/http.js';

export interface PolitenessOptions {
  /** The product token robots.txt groups are matched against, e.g. "story-digest". */
  readonly robotsAgent: string;
  /** Minimum time between the starts of two requests to one host; robots.txt Crawl-delay may raise it. */
  readonly hostDelayMs: number;
  /** Requests in flight at once, over all hosts. */
  readonly maxConcurrency: number;
  /** Retries of a transient failure (network error, 429, 5xx) within one call. */
  readonly maxRetries: number;
  readonly baseBackoffMs: number;
  /** A longer Retry-After is not waited for here: the call fails as transient and is retried later. */
  readonly maxRetryWaitMs: number;
  readonly robotsTtlMs: number;
  /** Books host slots; shared through DynamoDB in Lambda, in memory by default. */
  readonly pacer?: HostPacer;
  /** Injectable for tests. */
  readonly clock?: { now(): number; sleep(ms: number): Promise<void> };
  readonly random?: () => number;
}

export interface PolitenessStats {
  /** Time calls spent waiting for their host's turn (the politeness delay), summed over calls. */
  hostWaitMs: number;
  /** Time calls spent waiting for a free concurrency slot, summed over calls. */
  slotWaitMs: number;
  /** Time spent in requests, summed over calls. */
  workingMs: number;
  requests: number;
  retries: number;
}

interface RobotsEntry {
  readonly expiresAt: number;
  readonly allows: (url: string) => boolean;
  readonly crawlDelayMs: number;
}

type RobotsParser = (
  url: string,
  contents: string,
) => {
  isAllowed(url: string, agent?: string): boolean | undefined;
  getCrawlDelay(agent?: string): number | undefined;
};
/** A CommonJS function export, which the package's typings describe as a module. */
const robotsParser = robotsParserModule as unknown as RobotsParser;

const realClock = {
  now: () => Date.now(),
  sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
};
const TRANSIENT_STATUS = new Set([429, 500, 502, 503, 504]);

/**
 * The crawler's manners around a raw HttpClient: robots.txt honoured per host (cached, with
 * Crawl-delay), requests to one host spaced by the host delay, a global concurrency cap, and
 * bounded retries with exponential backoff and jitter that honour Retry-After.
 */
export class PoliteHttpClient implements HttpClient {
  readonly stats: PolitenessStats = {
    hostWaitMs: 0,
    slotWaitMs: 0,
    workingMs: 0,
    requests: 0,
    retries: 0,
  };
  private readonly clock: { now(): number; sleep(ms: number): Promise<void> };
  private readonly random: () => number;
  private readonly nextTurn = new Map<string, number>();
  private readonly pacer: HostPacer;
  private readonly robots = new Map<string, Promise<RobotsEntry>>();
  private active = 0;
  private readonly queue: (() => void)[] = [];

  constructor(
    private readonly inner: HttpClient,
    private readonly options: PolitenessOptions,
  ) {
    this.clock = options.clock ?? realClock;
    this.random = options.random ?? Math.random;
    this.pacer = options.pacer ?? new MemoryHostPacer(this.clock);
  }

  async get(url: string, conditional?: ConditionalGet): Promise<HttpResponse> {
    const robots = await this.robotsFor(url);
    if (!robots.allows(url)) throw new FetchError(url, 'disallowed by robots.txt', true);
    return this.withRetries(url, () =>
      this.paced(url, robots.crawlDelayMs, () => this.inner.get(url, conditional)),
    );
  }

  private async withRetries(
    url: string,
    attempt: () => Promise<HttpResponse>,
  ): Promise<HttpResponse> {
    for (let retry = 0; ; retry += 1) {
      let response: HttpResponse | undefined;
      let failure: FetchError | undefined;
      try {
        response = await attempt();
      } catch (error) {
        if (!(error instanceof FetchError) || error.permanent) throw error;
        failure = error;
      }
      if (response && !TRANSIENT_STATUS.has(response.status)) return response;
      if (retry >= this.options.maxRetries) {
        if (response) return response;
        throw failure;
      }
      const wait = this.backoff(retry, response);
      if (wait > this.options.maxRetryWaitMs) {
        throw new FetchError(
          url,
          `HTTP ${response?.status}: Retry-After ${Math.round(wait / 1000)} s is longer than this run waits`,
          false,
        );
      }
      this.stats.retries += 1;
      await this.clock.sleep(wait);
    }
  }

  /** Retry-After (seconds or an HTTP date) when the server gives one, else exponential with jitter. */
  private backoff(retry: number, response: HttpResponse | undefined): number {
    const retryAfter = response?.headers['retry-after']?.trim();
    if (retryAfter) {
      const seconds = Number(retryAfter);
      if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
      const date = Date.parse(retryAfter);
      if (!Number.isNaN(date)) return Math.max(0, date - this.clock.now());
    }
    const exponential = this.options.baseBackoffMs * 2 ** retry;
    return Math.round(exponential * (0.5 + this.random()));
  }

  /**
   * Waits for the host's turn, then a concurrency slot, then the host slot the pacer books.
   * The local turn (booked before waiting, so this container's callers queue in order) keeps
   * requests from holding slots while they wait on a host; the pacer's booking after the slot
   * is the one that counts, since a wait for a slot can outlast the turn and, when the pacer is
   * DynamoDB, other containers are booking the same host.
   */
  private async paced<T>(url: string, crawlDelayMs: number, work: () => Promise<T>): Promise<T> {
    const host = new URL(url).host;
    const delay = Math.max(this.options.hostDelayMs, crawlDelayMs);
    const waitStarted = this.clock.now();
    const turn = Math.max(waitStarted, this.nextTurn.get(host) ?? 0);
    this.nextTurn.set(host, turn + delay);
    if (turn > waitStarted) await this.clock.sleep(turn - waitStarted);
    const slotWaitStarted = this.clock.now();
    await this.acquire();
    const slotTaken = this.clock.now();
    try {
      const booked = delay > 0 ? await this.pacer.reserve(host, delay) : slotTaken;
      if (booked > this.clock.now()) await this.clock.sleep(booked - this.clock.now());
      const started = this.clock.now();
      this.stats.hostWaitMs += slotWaitStarted - waitStarted + (started - slotTaken);
      this.stats.slotWaitMs += slotTaken - slotWaitStarted;
      try {
        return await work();
      } finally {
        this.stats.workingMs += this.clock.now() - started;
        this.stats.requests += 1;
      }
    } finally {
      this.release();
    }
  }

  private acquire(): Promise<void> {
    if (this.active < this.options.maxConcurrency) {
      this.active += 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.queue.push(resolve));
  }

  private release(): void {
    const next = this.queue.shift();
    if (next) next();
    else this.active -= 1;
  }

  private robotsFor(url: string): Promise<RobotsEntry> {
    const origin = new URL(url).origin;
    const cached = this.robots.get(origin);
    const entry =
      cached ??
      this.fetchRobots(origin).catch((error: unknown) => {
        this.robots.delete(origin); // a failed read is not cached
        throw error;
      });
    if (!cached) this.robots.set(origin, entry);
    return entry.then((found) => {
      if (found.expiresAt > this.clock.now()) return found;
      this.robots.delete(origin);
      return this.robotsFor(url);
    });
  }

  /**
   * RFC 9309: a robots.txt that is unavailable (4xx) sets no rules; one that cannot be read (5xx,
   * 429, network errors, a body that cannot be decoded, a redirect loop or more than five
   * redirects) disallows the whole host for now, so the call fails as transient and is retried
   * later; one larger than 500 KiB is parsed up to there. The only exception is a robots.txt URL
   * the address guard refuses: every page of that host is refused the same way, permanently.
   */
  private async fetchRobots(origin: string): Promise<RobotsEntry> {
    const robotsUrl = `${origin}/robots.txt`;
    const expiresAt = this.clock.now() + this.options.robotsTtlMs;
    const noRules = { expiresAt, allows: () => true, crawlDelayMs: 0 };
    let response: HttpResponse;
    try {
      response = await this.paced(robotsUrl, 0, () =>
        this.inner.get(robotsUrl, undefined, { truncateAt: ROBOTS_PARSE_LIMIT }),
      );
    } catch (error) {
      if (error instanceof FetchError && error.url === robotsUrl && isRefusal(error)) {
        return noRules; // the page's own request meets the same refusal, with its reason
      }
      throw new FetchError(
        robotsUrl,
        `robots.txt unreadable, not crawling the host now (${(error as Error).message})`,
        false,
        { cause: error },
      );
    }
    if (response.status >= 400 && response.status < 500 && response.status !== 429) return noRules;
    if (response.status < 200 || response.status >= 300) {
      throw new FetchError(
        robotsUrl,
        `robots.txt answered HTTP ${response.status}, not crawling the host now`,
        false,
      );
    }
    const robots = robotsParser(robotsUrl, new TextDecoder().decode(response.body));
    const agent = this.options.robotsAgent;
    return {
      expiresAt,
      allows: (url) => robots.isAllowed(url, agent) !== false,
      crawlDelayMs: Math.min((robots.getCrawlDelay(agent) ?? 0) * 1000, 60_000),
    };
  }
}

/** RFC 9309 §2.5: crawlers parse at least the first 500 KiB of a robots.txt. */
export const ROBOTS_PARSE_LIMIT = 500 * 1024;

/** The address guard's or the scheme check's refusal (see failureReason): final for a host. */
function isRefusal(error: FetchError): boolean {
  return error.permanent && failureReason(error) === 'refused';
}

/** Host pacing within one process: each host's next start at least the delay after its last. */
export class MemoryHostPacer implements HostPacer {
  private readonly lastStart = new Map<string, number>();

  constructor(private readonly clock: { now(): number } = realClock) {}

  async reserve(host: string, delayMs: number): Promise<number> {
    const start = Math.max(
      this.clock.now(),
      (this.lastStart.get(host) ?? Number.NEGATIVE_INFINITY) + delayMs,
    );
    this.lastStart.set(host, start);
    return start;
  }
}
