/**
 * The operational metrics: their names, dimensions and the failure classes of a fetch. Shared by
 * the use cases that record them and the CDK alarms that watch them, so a renamed metric cannot
 * leave an alarm watching nothing.
 */
import { FetchError, HostClosedError } from './errors.js';

/** CloudWatch namespace of every metric. */
export const METRICS_NAMESPACE = 'StoryDigest';
/** Dimension on every metric: the story id, so two stories in one account stay apart. */
export const STORY_DIMENSION = 'story';
/** Dimension of `ArticlesNotStored`: a {@link NotStoredReason}. */
export const REASON_DIMENSION = 'reason';
/** Dimension of `SourceFailureStreak`: the source id from the story file. */
export const SOURCE_DIMENSION = 'source';
/** Dimension of `EmailsBounced`: SES's bounce type. */
export const BOUNCE_TYPE_DIMENSION = 'bounceType';

export const METRIC = {
  /** New article URLs queued for fetching by discovery. */
  articlesDiscovered: 'ArticlesDiscovered',
  /** Pages fetched as HTML and archived (before cleaning and the relevance check). */
  articlesFetched: 'ArticlesFetched',
  /** On-story articles stored; the "no new article" alarm watches it. */
  articlesStored: 'ArticlesStored',
  /** Fetch attempts that stored no article, by `reason` (retried attempts count each time). */
  articlesNotStored: 'ArticlesNotStored',
  eventsExtracted: 'EventsExtracted',
  /** Developments first reported by an article (not the ones it adds a source to). */
  developmentsCreated: 'DevelopmentsCreated',
  /** Readers queued for the week's digest by the digest run, one per reader. */
  digestsQueued: 'DigestsQueued',
  /** Readers who left (unsubscribed, suppressed) between being queued and their turn. */
  digestsSuppressed: 'DigestsSuppressed',
  /** Digest emails SES accepted, one per recipient. */
  digestsSent: 'DigestsSent',
  /**
   * Readers set aside in the delivery DLQ after every attempt (SES refused them, or throttled
   * them throughout); the `digests-failed` alarm watches it.
   */
  digestsFailed: 'DigestsFailed',
  /** Bounced recipients, by `bounceType` (only `Permanent` suppresses). */
  emailsBounced: 'EmailsBounced',
  emailsComplained: 'EmailsComplained',
  /**
   * By `source`, for each source that failed this discovery run: its consecutive failures so
   * far (from its stored health). A healthy source records nothing.
   */
  sourceFailureStreak: 'SourceFailureStreak',
} as const;

export type MetricName = (typeof METRIC)[keyof typeof METRIC];

/** Why a fetched URL gave no article: few values, so each is a cheap dimension. */
export type NotStoredReason =
  | 'robots'
  | 'http-4xx'
  | 'http-5xx'
  | 'timeout'
  | 'too-large'
  | 'not-html'
  /** Archived, but over its processing budget (`fetch.processBudgetMs`) before it was read. */
  | 'not-cleanable'
  | 'off-story'
  | 'duplicate'
  /** The address guard or a non-http(s) scheme refused the URL. */
  | 'refused'
  /** Not requested: its host was paused (a long Retry-After) or given up (failing). */
  | 'host-closed'
  /** DNS, connection, redirect or encoding failures. */
  | 'network'
  /** Not the page's fault: storage or a bug. */
  | 'internal';

/** The class of an HTTP status that is not 200. */
export function httpStatusReason(status: number): NotStoredReason {
  return status >= 500 ? 'http-5xx' : 'http-4xx';
}

/**
 * The class of a failed fetch. FetchError carries its detail as text only (the HTTP clients
 * phrase it), so the class is read from those phrasings; anything else is `internal`.
 */
export function failureReason(error: unknown): NotStoredReason {
  if (!(error instanceof FetchError)) return 'internal';
  if (error instanceof HostClosedError) return 'host-closed';
  const detail = error.message;
  if (/robots\.txt/.test(detail)) return 'robots';
  const status = /\bHTTP (\d{3})\b/.exec(detail)?.[1];
  if (status) return httpStatusReason(Number(status));
  if (/timed out|in time|stalled/.test(detail)) return 'timeout';
  if (/larger than/.test(detail)) return 'too-large';
  if (/refused\)$|scheme \S+ refused/.test(detail)) return 'refused';
  return 'network';
}
