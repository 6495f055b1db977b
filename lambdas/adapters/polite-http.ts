import robotsParserModule from 'robots-parser';
import { FetchError, HostClosedError } from '../core/model/errors.js';
import { failureReason } from '../core/model/metric-names.js';
import type {
  ConditionalGet,
  GetOptions,
  HostFailures,
  HostPacer,
  HostTurn,
  HttpClient,
  HttpResponse,
} from '../core/ports/http.js';

export interface PolitenessOptions {
  /** The product token robots.txt groups are matched against, e.g. "story-digest". */
  readonly robotsAgent: string;
  /**
   * Minimum time between the end of one response from a host and the next request to it (as the
   * server measures it); robots.txt Crawl-delay may raise it.
   */
  readonly hostDelayMs: number;
  /** Requests in flight at once, over all hosts (one per host at a time). */
  readonly maxConcurrency: number;
  /** Retries of a transient failure (network error, 429, 5xx) within one call. */
  readonly maxRetries: number;
  readonly baseBackoffMs: number;
  /**
   * A longer Retry-After is not waited for here: the host is paused until then (every request
   * to it refused, across containers) and the call fails as transient, to be retried later.
   */
  readonly maxRetryWaitMs: number;
  readonly robotsTtlMs: number;
  /**
   * A host whose last `failures` requests all failed, with no success seen for `forMs`, is given
   * up for `forMs`: its requests are refused at once, without reaching it. Default 2 failures,
   * an hour.
   */
  readonly giveUp?: { readonly failures: number; readonly forMs: number };
  /** Books host slots and keeps hosts' pauses and failures; DynamoDB in Lambda, memory by default. */
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
  /** Calls refused without a request because their host was paused or given up. */
  refusedClosed: number;
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
const DEFAULT_GIVE_UP = { failures: 2, forMs: 3_600_000 };

/**
 * The crawler's manners around a raw HttpClient: robots.txt honoured per host (cached, with
 * Crawl-delay); one request per host at a time, the next one starting the host delay after the
 * previous response ended, within the slots the pacer books across containers; a global
 * concurrency cap; bounded retries with exponential backoff and jitter that honour Retry-After;
 * a Retry-After longer than a call waits pauses the whole host; and a host that failed every
 * request lately is given up for a while (a circuit breaker kept with the host's pacing state).
 */
export class PoliteHttpClient implements HttpClient {
  readonly stats: PolitenessStats = {
    hostWaitMs: 0,
    slotWaitMs: 0,
    workingMs: 0,
    requests: 0,
    retries: 0,
    refusedClosed: 0,
  };
  private readonly clock: { now(): number; sleep(ms: number): Promise<void> };
  private readonly random: () => number;
  private readonly giveUp: { readonly failures: number; readonly forMs: number };
  /** Per host, the tail of its queue of requests: each waits for the one before to end. */
  private readonly hostQueues = new Map<string, Promise<void>>();
  /** Per host, when its last response ended (the client's clock). */
  private readonly lastEnd = new Map<string, number>();
  /** Per host, when a request to it last succeeded in this process. */
  private readonly lastSuccess = new Map<string, number>();
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
    this.giveUp = options.giveUp ?? DEFAULT_GIVE_UP;
  }

  async get(
    url: string,
    conditional?: ConditionalGet,
    options?: GetOptions,
  ): Promise<HttpResponse> {
    const robots = await this.robotsFor(url);
    if (!robots.allows(url)) throw new FetchError(url, 'disallowed by robots.txt', true);
    return this.withRetries(url, () =>
      this.paced(url, robots.crawlDelayMs, () => this.inner.get(url, conditional, options)),
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
        if (!(error instanceof FetchError) || error.permanent || error instanceof HostClosedError)
          throw error;
        failure = error;
      }
      if (response && !TRANSIENT_STATUS.has(response.status)) return response;
      const wait = this.backoff(retry, response);
      if (wait > this.options.maxRetryWaitMs) {
        // The server asked for longer than a call waits: the whole host waits, not only this URL.
        const host = new URL(url).host;
        const until = this.clock.now() + wait;
        const reason = `asked to wait (HTTP ${response?.status}, Retry-After ${Math.round(wait / 1000)} s)`;
        await this.pacer.close(host, until, reason);
        throw new FetchError(
          url,
          `HTTP ${response?.status}: Retry-After ${Math.round(wait / 1000)} s is longer than this run waits; host ${host} paused until ${new Date(until).toISOString()}`,
          false,
        );
      }
      if (retry >= this.options.maxRetries) {
        if (response) return response;
        throw failure;
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
   * One request to a host at a time: waits for the host's previous request to end, then the
   * delay after its response ended (what the server measures, whatever connection set-up or a
   * slow body took), then a concurrency slot, then the slot the pacer books (which, when the
   * pacer is DynamoDB, spaces the starts of other containers' requests to the host too). A host
   * the pacer reports closed is refused without a request. Transient failures count against the
   * host; one that failed every request lately is given up (see PolitenessOptions.giveUp).
   */
  private async paced<T extends HttpResponse>(
    url: string,
    crawlDelayMs: number,
    work: () => Promise<T>,
  ): Promise<T> {
    const host = new URL(url).host;
    const delay = Math.max(this.options.hostDelayMs, crawlDelayMs);
    const waitStarted = this.clock.now();
    const previous = this.hostQueues.get(host) ?? Promise.resolve();
    let ended: () => void = () => {};
    const mine = new Promise<void>((resolve) => {
      ended = resolve;
    });
    const tail = previous.then(() => mine);
    this.hostQueues.set(host, tail);
    try {
      await previous;
      const earliest = (this.lastEnd.get(host) ?? Number.NEGATIVE_INFINITY) + delay;
      if (earliest > this.clock.now()) await this.clock.sleep(earliest - this.clock.now());
      const slotWaitStarted = this.clock.now();
      await this.acquire();
      const slotTaken = this.clock.now();
      try {
        const turn = await this.pacer.reserve(host, delay);
        if ('closedUntil' in turn) {
          this.stats.refusedClosed += 1;
          throw new HostClosedError(url, host, turn.closedUntil, turn.reason);
        }
        if (turn.at > this.clock.now()) await this.clock.sleep(turn.at - this.clock.now());
        const started = this.clock.now();
        this.stats.hostWaitMs += slotWaitStarted - waitStarted + (started - slotTaken);
        this.stats.slotWaitMs += slotTaken - slotWaitStarted;
        let response: T;
        try {
          response = await work();
        } catch (error) {
          this.lastEnd.set(host, this.clock.now());
          if (error instanceof FetchError && !error.permanent) {
            await this.countFailure(host, error.message.replace(/^\S+: /, ''));
          }
          throw error;
        } finally {
          this.stats.workingMs += this.clock.now() - started;
          this.stats.requests += 1;
        }
        this.lastEnd.set(host, this.clock.now());
        if (TRANSIENT_STATUS.has(response.status)) {
          await this.countFailure(host, `HTTP ${response.status}`);
        } else {
          this.lastSuccess.set(host, this.clock.now());
          if (turn.failing) await this.pacer.recovered(host, this.clock.now());
        }
        return response;
      } finally {
        this.release();
      }
    } finally {
      ended();
      if (this.hostQueues.get(host) === tail) this.hostQueues.delete(host);
    }
  }

  /**
   * Counts a failed request against its host and gives the host up when every request lately
   * failed: its last `giveUp.failures` requests, and no success seen for `giveUp.forMs` (here or,
   * through the pacer, in another container). A host that answers some requests is never given
   * up for the others' failures.
   */
  private async countFailure(host: string, reason: string): Promise<void> {
    const now = this.clock.now();
    const failures: HostFailures = await this.pacer.failed(host, now);
    const lastSuccess = Math.max(
      this.lastSuccess.get(host) ?? Number.NEGATIVE_INFINITY,
      failures.lastRecoveredAt ?? Number.NEGATIVE_INFINITY,
    );
    if (failures.streak < this.giveUp.failures || lastSuccess > now - this.giveUp.forMs) return;
    await this.pacer.close(
      host,
      now + this.giveUp.forMs,
      `given up: its last ${failures.streak} requests failed (${reason})`,
    );
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
      if (error instanceof HostClosedError) throw error; // not asked: the host is closed
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

/**
 * Host pacing within one process: each host's next start at least the delay after its last, its
 * failures and its pauses, with the DynamoDB pacer's rules.
 */
export class MemoryHostPacer implements HostPacer {
  private readonly hosts = new Map<
    string,
    {
      lastStart?: number;
      failStreak: number;
      recoveredAt?: number;
      closedUntil?: number;
      closedReason?: string;
    }
  >();

  constructor(private readonly clock: { now(): number } = realClock) {}

  async reserve(host: string, delayMs: number): Promise<HostTurn> {
    const state = this.state(host);
    const now = this.clock.now();
    if (state.closedUntil !== undefined && state.closedUntil > now) {
      return { closedUntil: state.closedUntil, reason: state.closedReason ?? 'closed' };
    }
    const start = Math.max(now, (state.lastStart ?? Number.NEGATIVE_INFINITY) + delayMs);
    state.lastStart = start;
    return { at: start, failing: state.failStreak > 0 };
  }

  async failed(host: string, _at: number): Promise<HostFailures> {
    const state = this.state(host);
    state.failStreak += 1;
    return {
      streak: state.failStreak,
      ...(state.recoveredAt !== undefined ? { lastRecoveredAt: state.recoveredAt } : {}),
    };
  }

  async recovered(host: string, at: number): Promise<void> {
    const state = this.state(host);
    state.failStreak = 0;
    state.recoveredAt = at;
  }

  async close(host: string, until: number, reason: string): Promise<void> {
    const state = this.state(host);
    if (state.closedUntil !== undefined && state.closedUntil >= until) return;
    state.closedUntil = until;
    state.closedReason = reason;
  }

  private state(host: string) {
    let state = this.hosts.get(host);
    if (!state) {
      state = { failStreak: 0 };
      this.hosts.set(host, state);
    }
    return state;
  }
}
