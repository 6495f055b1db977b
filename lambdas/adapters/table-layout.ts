import type { EventType } from '../core/model/records.js';

/**
 * The one DynamoDB table every function shares, and its key layout: the only place that knows it.
 * The CDK stack and the local runtime build the table from TABLE_LAYOUT, the adapters build every
 * key with the functions below, and IAM's `dynamodb:LeadingKeys` conditions name the partitions
 * each function may touch (`partitionPatterns`, built with the same functions).
 *
 *   pk                             sk                       what                            adapter
 *   URL#<canonical url>            URL                      a seen URL (conditional put)    dynamo-url-ledger
 *   URL#<canonical url>            FAILURE                  why its last fetch failed       dynamo-fetch-failures
 *   SOURCE#<story>#<source>        STATE                    validators and health           dynamo-source-states
 *   ARTICLE#<id>                   ARTICLE                  article metadata (text in S3)   dynamo-article-store
 *   FP#<story>                     <publishedAt>#<article>  near-duplicate fingerprint      dynamo-article-store
 *   DEV#<id>                       DEV                      a development as one article    dynamo-development-store
 *                                                           reports it, source included;
 *                                                           gsi1 below
 *   TYPE#<story>#<type>            <first day>#<dev>        a development by type and date  dynamo-development-store
 *   AMOUNT#<story>#<type>          <first day>#<dev>        a sum a development named       dynamo-development-store
 *   COVERAGE#<story>               ARTICLE#<id>             the week and outcome an article dynamo-coverage-ledger
 *                                                           counts in; gsi1 below
 *   DIGEST#<story>#<week>          TO#<email>               delivery (sending|sent|skipped) dynamo-delivery-ledger
 *   DIGEST#<story>#<week>          RUN                      queueing cursor, counters       dynamo-delivery-runs
 *   TIMELINE#<story>               LATEST                   the latest timeline year        dynamo-timeline-years
 *   SUBSCRIBERS#<story>            ADDRESS#<email>          a subscriber                    dynamo-subscribers
 *   SIGNUP-SOURCES#<story>         <hour>#<source key>      sign-up requests of a source    dynamo-request-quota
 *                                                           in an hour (expires: TTL)
 *   HOST#<host>                    PACE                     a host's next request slot      dynamo-host-pacer
 *   SENDRATE#<story>               SES                      the next SES send slot          dynamo-send-rate
 *
 * Index `byFirstReported` (gsi1pk, gsi1sk; every attribute projected), the story's items by time,
 * read by the digest (never a scan):
 *   STORY#<story>#DEV              <firstReportedAt>#<dev>  developments by their first report
 *   STORY#<story>#COVERAGE#<week>  <outcome>#<article>      the articles a week's counts hold
 */
export const TABLE_LAYOUT = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Named for its first use, as a deployed index keeps its name. */
  timeIndex: { name: 'byFirstReported', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  timeToLiveAttribute: 'expiresAt',
} as const;

export interface ItemKey {
  readonly pk: string;
  readonly sk: string;
}

export function urlKey(url: string): ItemKey {
  return { pk: `URL#${url}`, sk: 'URL' };
}

export function fetchFailureKey(url: string): ItemKey {
  return { pk: urlKey(url).pk, sk: 'FAILURE' };
}

export function sourceStateKey(storyId: string, sourceId: string): ItemKey {
  return { pk: `SOURCE#${storyId}#${sourceId}`, sk: 'STATE' };
}

export function articlePartition(articleId: string): string {
  return `ARTICLE#${articleId}`;
}

export function fingerprintsPartition(storyId: string): string {
  return `FP#${storyId}`;
}

export function developmentPartition(developmentId: string): string {
  return `DEV#${developmentId}`;
}

/** The `byFirstReported` index's partition of a story's developments. */
export function developmentsIndexPartition(storyId: string): string {
  return `STORY#${storyId}#DEV`;
}

export function strandPartition(storyId: string, type: EventType): string {
  return `TYPE#${storyId}#${type}`;
}

export function amountPartition(storyId: string, type: EventType): string {
  return `AMOUNT#${storyId}#${type}`;
}

export function coveragePartition(storyId: string): string {
  return `COVERAGE#${storyId}`;
}

/** The time index's partition of the articles counted in one week of a story. */
export function coverageIndexPartition(storyId: string, week: string): string {
  return `STORY#${storyId}#COVERAGE#${week}`;
}

export function deliveryKey(storyId: string, week: string, recipient: string): ItemKey {
  return { pk: `DIGEST#${storyId}#${week}`, sk: `TO#${recipient.toLowerCase()}` };
}

/** A week's delivery run: in the ledger's partition, so the same grant covers both. */
export function deliveryRunKey(storyId: string, week: string): ItemKey {
  return { pk: deliveryKey(storyId, week, '').pk, sk: 'RUN' };
}

/**
 * The SES send slots of the story's senders. Per story, because IAM keys the senders' grant by
 * story; two stories in one account share SES's rate, so each is given its share (MAX_SEND_RATE).
 */
export function sendRateKey(storyId: string): ItemKey {
  return { pk: `SENDRATE#${storyId}`, sk: 'SES' };
}

export function timelineKey(storyId: string): ItemKey {
  return { pk: `TIMELINE#${storyId}`, sk: 'LATEST' };
}

/**
 * Subscribers: one partition per story, so the digest reads its list with one query and a
 * function that only manages subscribers can be limited to that partition (IAM
 * `dynamodb:LeadingKeys`).
 */
export function subscribersPartition(storyId: string): string {
  return `SUBSCRIBERS#${storyId}`;
}

export function subscriberKey(storyId: string, address: string): ItemKey {
  return { pk: subscribersPartition(storyId), sk: `ADDRESS#${address}` };
}

/**
 * Sign-up requests counted per source (a keyed hash of the client's network, never its address)
 * and hour: one partition per story, so the public web function can be limited to it (IAM
 * `dynamodb:LeadingKeys`); items expire by TTL.
 */
export function signUpSourcesPartition(storyId: string): string {
  return `SIGNUP-SOURCES#${storyId}`;
}

export function signUpSourceKey(storyId: string, windowStart: string, source: string): ItemKey {
  return { pk: signUpSourcesPartition(storyId), sk: `${windowStart}#${source}` };
}

export function hostPaceKey(host: string): ItemKey {
  return { pk: `HOST#${host}`, sk: 'PACE' };
}

/**
 * The partition keys of each kind of item, as IAM `dynamodb:LeadingKeys` patterns (StringLike,
 * `*` any text), built with the key functions above so that a key and its grant cannot drift
 * apart. The stack gives each function only the kinds its adapters read or write (lib/).
 */
export function partitionPatterns(storyId: string) {
  const ANY = '*';
  return {
    urls: urlKey(ANY).pk,
    sourceStates: sourceStateKey(storyId, ANY).pk,
    articles: articlePartition(ANY),
    fingerprints: fingerprintsPartition(storyId),
    developments: developmentPartition(ANY),
    strands: strandPartition(storyId, ANY as EventType),
    amounts: amountPartition(storyId, ANY as EventType),
    coverage: coveragePartition(storyId),
    deliveries: deliveryKey(storyId, ANY, '').pk,
    timeline: timelineKey(storyId).pk,
    subscribers: subscribersPartition(storyId),
    hosts: hostPaceKey(ANY).pk,
    sendRate: sendRateKey(storyId).pk,
  } as const;
}

/** A kind of item of the table (see `partitionPatterns`). */
export type ItemKind = keyof ReturnType<typeof partitionPatterns>;
