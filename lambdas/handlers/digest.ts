import { DynamoArticleStore } from '../adapters/dynamo-article-store.js';
import { DynamoCoverageLedger } from '../adapters/dynamo-coverage-ledger.js';
import { DynamoDeliveryLedger } from '../adapters/dynamo-delivery-ledger.js';
import { DynamoDeliveryRuns } from '../adapters/dynamo-delivery-runs.js';
import { DynamoDevelopmentStore } from '../adapters/dynamo-development-store.js';
import { DynamoSourceStates } from '../adapters/dynamo-source-states.js';
import { DynamoSubscriberStore } from '../adapters/dynamo-subscribers.js';
import { DynamoTimelineYears } from '../adapters/dynamo-timeline-years.js';
import { PowertoolsLog } from '../adapters/logger.js';
import { PowertoolsMetrics } from '../adapters/powertools-metrics.js';
import { S3OutgoingDigests } from '../adapters/s3-outgoing-digests.js';
import { S3PageArchive } from '../adapters/s3-page-archive.js';
import { SesMailer } from '../adapters/ses-mailer.js';
import { SqsDeliveryQueue } from '../adapters/sqs-delivery-queue.js';
import { loadStoryFile } from '../adapters/story-file.js';
import { loadDigestTemplates, loadTimelineTemplate } from '../adapters/template-files.js';
import { previewDigest } from '../core/6-digest/preview-digest.js';
import { type QueueDigestOutcome, queueDigest } from '../core/6-digest/queue-digest.js';
import { DigestRenderer } from '../core/6-digest/render-digest.js';
import { TimelineRenderer } from '../core/6-digest/render-timeline.js';
import { ConfigError, StoryDigestError } from '../core/model/errors.js';
import { previousWeek } from '../core/model/iso-week.js';
import { parsePayload } from '../core/model/validation.js';
import * as z from '../core/model/zod.js';
import { parseAddresses } from '../core/subscribers/subscriber.js';
import { readEnvironment, readHttpUrl } from './environment.js';
import { type InvocationContext, invocationDeadline } from './invocation.js';

const env = readEnvironment([
  'STORY_PATH',
  'TABLE_NAME',
  'BUCKET_NAME',
  'TEMPLATES_DIR',
  'WEB_BASE_URL',
  'DELIVERY_QUEUE_URL',
]);
// Only the story: the digest neither fetches nor extracts.
const story = loadStoryFile(env.STORY_PATH);
/** The stack's `subscribers`: ensured on every run, never re-activated once they leave. */
const seed = readSeed(process.env.SUBSCRIBERS ?? '');
const log = new PowertoolsLog({ storyId: story.id });
const metrics = new PowertoolsMetrics(story.id);
/** The web function's URL: unsubscribe pages, the digests' web copies, the timeline. */
const webBaseUrl = readHttpUrl('WEB_BASE_URL', env.WEB_BASE_URL);
const deps = {
  developments: new DynamoDevelopmentStore(env.TABLE_NAME),
  articles: new DynamoArticleStore(env.TABLE_NAME),
  coverage: new DynamoCoverageLedger(env.TABLE_NAME),
  sourceStates: new DynamoSourceStates(env.TABLE_NAME),
  // The week's first send date: what tells a late find from a development already sent.
  deliveries: new DynamoDeliveryLedger(env.TABLE_NAME),
  deliveryRuns: new DynamoDeliveryRuns(env.TABLE_NAME),
  deliveryQueue: new SqsDeliveryQueue(env.DELIVERY_QUEUE_URL),
  outgoing: new S3OutgoingDigests(env.BUCKET_NAME),
  timelineYears: new DynamoTimelineYears(env.TABLE_NAME),
  subscribers: new DynamoSubscriberStore(env.TABLE_NAME),
  pageArchive: new S3PageArchive(env.BUCKET_NAME),
  mailer: new SesMailer(process.env.SES_CONFIGURATION_SET || undefined),
  renderer: new DigestRenderer(loadDigestTemplates(env.TEMPLATES_DIR), story.digest.subject),
  timeline: new TimelineRenderer(loadTimelineTemplate(env.TEMPLATES_DIR)),
  webBaseUrl,
  log,
  metrics,
  now: () => new Date(),
};
/** Time kept at the end of the invocation to record the last page queued and answer. */
const QUEUE_MARGIN_MS = 30_000;
/**
 * The schedule sends no `week` (the last complete week); an operator may name one, and may ask
 * for a `preview`: the week sent only to these addresses, marked as such, nothing recorded.
 */
const digestEventSchema = z.looseObject({
  week: z.optional(z.string().check(z.regex(/^\d{4}-W\d{2}$/, 'an ISO week such as 2019-W28'))),
  preview: z.optional(z.array(z.email()).check(z.minLength(1), z.maxLength(50))),
});

/** The event of a preview, for callers that want its result typed. */
export interface DigestPreviewEvent {
  readonly week?: string;
  readonly preview: readonly string[];
}

export interface DigestPreviewResult {
  readonly week: string;
  readonly developments: number;
  /** The addresses the preview went to; nobody else got anything. */
  readonly preview: readonly string[];
  readonly failed: readonly { readonly recipient: string; readonly reason: string }[];
}

export interface DigestResult {
  readonly week: string;
  readonly developments: number;
  readonly archived: string;
  /** The archive key of the story's timeline page, rewritten by every run. */
  readonly timeline: string;
  /** Readers this invocation queued for the senders (0 when an earlier run queued them all). */
  readonly queuedNow: number;
  /**
   * The week's delivery so far: readers queued, sent, suppressed (left before their turn),
   * failed (set aside in the delivery DLQ) and pending (still with the senders).
   */
  readonly delivery: QueueDigestOutcome['delivery'];
}

export async function handler(
  event: DigestPreviewEvent,
  context?: InvocationContext,
): Promise<DigestPreviewResult>;
export async function handler(event: unknown, context?: InvocationContext): Promise<DigestResult>;
export async function handler(
  event: unknown,
  context?: InvocationContext,
): Promise<DigestResult | DigestPreviewResult> {
  const parsed = parsePayload(digestEventSchema, event ?? {}, 'digest event');
  const now = deps.now();
  const week = parsed.week ?? previousWeek(now, story.timeZone);
  if (parsed.preview) {
    const recipients = parseAddresses(parsed.preview, 'digest event: preview');
    const previewed = await previewDigest(story, week, recipients, deps);
    return {
      week,
      developments: previewed.developments,
      preview: previewed.sent,
      failed: previewed.failed,
    };
  }
  const deadline = new Date(invocationDeadline(now, context).getTime() - QUEUE_MARGIN_MS);
  let outcome: QueueDigestOutcome;
  try {
    outcome = await queueDigest(story, week, { seed, deadline }, deps);
  } finally {
    metrics.publish();
  }
  // Out of time with readers left to queue: failing makes the scheduler retry, which goes on
  // from the saved cursor.
  if (!outcome.complete) {
    throw new StoryDigestError(
      `digest ${week}: ${outcome.delivery.queued} reader(s) queued before the time ran out; the retry queues the rest`,
    );
  }
  return {
    week,
    developments: outcome.developments,
    archived: outcome.htmlKey,
    timeline: outcome.timelineKey,
    queuedNow: outcome.queuedNow,
    delivery: outcome.delivery,
  };
}

function readSeed(list: string): string[] {
  try {
    return parseAddresses(list.split(','), 'SUBSCRIBERS');
  } catch (error) {
    throw new ConfigError((error as Error).message, { cause: error });
  }
}
