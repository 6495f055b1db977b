/**
 * What the use cases need from the outside world. Adapters in lambdas/adapters implement these
 * over S3, DynamoDB, SQS, SES and HTTP; core never imports an AWS SDK.
 */

import type { DevelopmentReport } from '../5-cluster/developments.js';
import type { Fingerprint } from '../5-cluster/near-duplicates.js';
import type { ArticleCounts, ArticleOutcome } from '../6-digest/coverage.js';
import type { StrandLatest } from '../6-digest/story-status.js';
import type { ArchivedPage } from '../7-web/web-routes.js';
import type { MetricName } from '../model/metric-names.js';
import type { Article, Development, EventType, StoryEvent } from '../model/records.js';
import type { Subscriber, SubscriberStatus } from '../subscribers/subscriber.js';

export interface Log {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/**
 * Operational counts (names and dimensions in metrics.ts). Recorded as the use case goes and
 * published once per invocation by the adapter, so a failing invocation still reports them.
 */
export interface Metrics {
  /** Records `value` (a count, or a streak) of `name`, split by the given extra dimensions. */
  count(name: MetricName, value: number, dimensions?: Readonly<Record<string, string>>): void;
}

/** A URL that discovery found and the fetcher should read. */
export interface FetchRequest {
  readonly storyId: string;
  readonly sourceId: string;
  readonly url: string;
  readonly firstSeenAt: string;
  readonly feedTitle?: string;
  readonly feedPublishedAt?: string;
}

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

export interface HttpClient {
  /** Resolves with any HTTP status (304 included); rejects with FetchError on network failure. */
  get(url: string, conditional?: ConditionalGet): Promise<HttpResponse>;
}

/**
 * Spaces the requests to each host. `reserve` books the next start slot for a host (at least
 * `delayMs` after the previous booking) and returns it as epoch milliseconds; the caller waits
 * until then. Shared through DynamoDB, it holds across every Lambda container.
 */
export interface HostPacer {
  reserve(host: string, delayMs: number): Promise<number>;
}

export interface SourceState {
  readonly storyId: string;
  readonly sourceId: string;
  readonly url: string;
  readonly etag?: string;
  readonly lastModified?: string;
  readonly lastCheckedAt: string;
  readonly lastSuccessAt?: string;
  readonly consecutiveFailures: number;
  readonly lastError?: string;
}

/** A digest email as handed to the mailer. */
export interface OutgoingEmail {
  readonly from: string;
  readonly to: string;
  readonly subject: string;
  readonly html: string;
  readonly text: string;
  /** Extra message headers (List-Unsubscribe); names as they go on the wire. */
  readonly headers?: readonly { readonly name: string; readonly value: string }[];
}

export interface Mailer {
  send(email: OutgoingEmail): Promise<{ messageId: string }>;
}

/** Whether the crawler may fetch a URL at all, asked before it is queued. */
export interface UrlPolicy {
  /** The reason the URL is refused (e.g. "private address"), or undefined. */
  refusal(url: string): string | undefined;
}

/** A long run's advance, for an operator watching it (the CLI's progress bar); Lambda has none. */
export interface Progress {
  /** A phase begins; `total` is its number of items when known. */
  phase(name: string, total: number | undefined): void;
  /** `count` more items of the current phase are done. */
  advance(count: number): void;
}

export interface FetchQueue {
  enqueue(requests: readonly FetchRequest[]): Promise<void>;
}

export interface StoryStore {
  /**
   * Counts a fetched article's outcome in the week (story time) it was read, for coverage: once
   * per article id, however often its message is retried or delivered.
   */
  countArticle(
    storyId: string,
    week: string,
    outcome: ArticleOutcome,
    articleId: string,
  ): Promise<void>;
  articleCounts(storyId: string, week: string): Promise<ArticleCounts>;
  /**
   * Records a URL as seen; false when it was seen before (by any source, in any run), except by
   * this very request (same source and first-seen time, found at the same URL: `foundAt`,
   * default the URL itself), so a retried or redelivered claim is granted again.
   */
  claimUrl(request: FetchRequest, foundAt?: string): Promise<boolean>;
  /** Whether a URL was seen before, without claiming it (a dry run's question). */
  isKnownUrl(url: string): Promise<boolean>;
  /** Records what became of a claimed URL (a permanent failure's reason, for operators). */
  markUrl(url: string, status: 'skipped', reason: string): Promise<void>;
  /** Undoes a claim whose fetch request could not be queued, so a later run finds it again. */
  releaseUrl(url: string): Promise<void>;
  getSourceState(storyId: string, sourceId: string): Promise<SourceState | undefined>;
  putSourceState(state: SourceState): Promise<void>;
  putArticle(article: Article): Promise<void>;
  /** Replaces every event of the article (re-extraction never duplicates). */
  replaceEvents(articleId: string, events: readonly StoryEvent[]): Promise<void>;
  /** Keeps an article's near-duplicate fingerprint, indexed by its publication time. */
  putFingerprint(storyId: string, fingerprint: Fingerprint): Promise<void>;
  /** Fingerprints of the story's articles published in [from, to]. */
  fingerprintsBetween(storyId: string, from: string, to: string): Promise<Fingerprint[]>;
  /**
   * Adds the article as a source of the development, creating it or moving its first report
   * earlier; true when this report created it.
   */
  recordDevelopment(report: DevelopmentReport): Promise<boolean>;
  /**
   * The latest development of one event type dated on or before `upToDay`, with the last sum
   * of money that type named by then: one item read, however long the story's history.
   */
  latestOfType(
    storyId: string,
    type: EventType,
    upToDay: string,
  ): Promise<StrandLatest | undefined>;
  /** Developments whose first report falls in [from, to), read through the time index. */
  developmentsFirstReported(storyId: string, from: string, to: string): Promise<Development[]>;
  /**
   * Claims the right to send one week's digest to one recipient until `leaseUntil` (the
   * claiming invocation's deadline). A claim still `sending` after its lease belonged to an
   * invocation that died mid-send and is taken over; otherwise the current state is returned.
   */
  claimDelivery(
    storyId: string,
    week: string,
    recipient: string,
    claim: { readonly claimedAt: string; readonly leaseUntil: string },
  ): Promise<DeliveryClaim>;
  markDelivered(storyId: string, week: string, recipient: string, messageId: string): Promise<void>;
  /** Gives a claim back after a failed send, so the next invocation retries that recipient. */
  releaseDelivery(storyId: string, week: string, recipient: string): Promise<void>;
  /**
   * Records `year` as the story's latest timeline year unless a later one is recorded; true
   * when `year` is (now) the latest.
   */
  claimLatestTimelineYear(storyId: string, year: number): Promise<boolean>;
  /** When the week's digest was first sent to anyone; undefined if it never was. */
  firstSentAt(storyId: string, week: string): Promise<string | undefined>;
}

/** The ledger's answer to a claim. */
export type DeliveryClaim =
  | { readonly claimed: true }
  | { readonly claimed: false; readonly status: 'sent' }
  | { readonly claimed: false; readonly status: 'sending'; readonly leaseUntil: string };

/** Subscribers per story. Addresses are normalised (lower case) by the caller. */
export interface SubscriberStore {
  /** Creates the subscriber unless its address is known; returns the existing one if it is. */
  addSubscriber(subscriber: Subscriber): Promise<Subscriber | undefined>;
  getSubscriber(storyId: string, address: string): Promise<Subscriber | undefined>;
  /** Every subscriber of the story, or those with `status`, ordered by address. */
  listSubscribers(storyId: string, status?: SubscriberStatus): Promise<Subscriber[]>;
  /**
   * Marks the address unsubscribed (creating the record when it is unknown, so that no seed
   * adds it later); a suppressed address stays suppressed. Returns the previous status.
   */
  unsubscribe(storyId: string, address: string, at: string): Promise<SubscriberStatus | undefined>;
  /** Marks the address suppressed with the reason (creating it when unknown); returns the previous status. */
  suppress(
    storyId: string,
    address: string,
    at: string,
    reason: string,
  ): Promise<SubscriberStatus | undefined>;
}

/** The archived response with the request that led to it: enough to re-process offline. */
export interface RawResponseRecord extends HttpResponse {
  readonly fetchedAt: string;
  readonly request: FetchRequest;
}

export interface DigestFiles {
  readonly html: string;
  readonly text: string;
  readonly json: string;
}

export interface ArchiveStore {
  putRaw(key: string, response: RawResponseRecord): Promise<void>;
  getRaw(key: string): Promise<RawResponseRecord>;
  listRawKeys(): AsyncIterable<string>;
  putArticle(article: Article): Promise<string>;
  /** Keeps a week's digest: `digests/<story>/<week>.html` (its web copy), `.txt` and `.json`. */
  putDigest(storyId: string, week: string, files: DigestFiles): Promise<{ htmlKey: string }>;
  /**
   * Keeps one year's timeline page, `digests/<story>/timeline-<year>.html`, and, when it is the
   * latest year's, `timeline.html` too.
   */
  putTimeline(
    storyId: string,
    year: number,
    html: string,
    latest: boolean,
  ): Promise<{ key: string }>;
  /** An archived web page (a week's web copy, the timeline); undefined when there is none. */
  getPage(storyId: string, page: ArchivedPage): Promise<string | undefined>;
}
