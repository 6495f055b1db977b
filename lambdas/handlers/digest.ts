import { DynamoArticleStore } from '../adapters/dynamo-article-store.js';
import { DynamoCoverageLedger } from '../adapters/dynamo-coverage-ledger.js';
import { DynamoDeliveryLedger } from '../adapters/dynamo-delivery-ledger.js';
import { DynamoDevelopmentStore } from '../adapters/dynamo-development-store.js';
import { DynamoSourceStates } from '../adapters/dynamo-source-states.js';
import { DynamoSubscriberStore } from '../adapters/dynamo-subscribers.js';
import { DynamoTimelineYears } from '../adapters/dynamo-timeline-years.js';
import { PowertoolsLog } from '../adapters/logger.js';
import { PowertoolsMetrics } from '../adapters/powertools-metrics.js';
import { S3PageArchive } from '../adapters/s3-page-archive.js';
import { readSecretString } from '../adapters/secret-value.js';
import { SesMailer } from '../adapters/ses-mailer.js';
import { loadStoryFile } from '../adapters/story-file.js';
import { loadDigestTemplates, loadTimelineTemplate } from '../adapters/template-files.js';
import { previewDigest } from '../core/6-digest/preview-digest.js';
import { DigestRenderer } from '../core/6-digest/render-digest.js';
import { TimelineRenderer } from '../core/6-digest/render-timeline.js';
import { type DigestOutcome, sendDigest, undeliveredDigest } from '../core/6-digest/send-digest.js';
import { ConfigError } from '../core/model/errors.js';
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
  'UNSUBSCRIBE_SECRET_ARN',
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
  deliveries: new DynamoDeliveryLedger(env.TABLE_NAME),
  timelineYears: new DynamoTimelineYears(env.TABLE_NAME),
  subscribers: new DynamoSubscriberStore(env.TABLE_NAME),
  pageArchive: new S3PageArchive(env.BUCKET_NAME),
  mailer: new SesMailer(process.env.SES_CONFIGURATION_SET || undefined),
  renderer: new DigestRenderer(loadDigestTemplates(env.TEMPLATES_DIR), story.digest.subject),
  timeline: new TimelineRenderer(loadTimelineTemplate(env.TEMPLATES_DIR)),
  webBaseUrl,
  unsubscribe: {
    baseUrl: webBaseUrl,
    secret: await readSecretString(env.UNSUBSCRIBE_SECRET_ARN),
  },
  log,
  metrics,
  now: () => new Date(),
  sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
};
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
  readonly sent: number;
  readonly alreadySent: number;
  readonly inFlight: number;
  /** Always empty: an invocation that left a recipient out throws DigestDeliveryError instead. */
  readonly failed: readonly { readonly recipient: string; readonly reason: string }[];
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
  const deadline = invocationDeadline(now, context);
  let outcome: DigestOutcome;
  try {
    outcome = await sendDigest(story, week, { seed, deadline }, deps);
  } finally {
    metrics.publish();
  }
  // Failed after serving everyone else: Lambda retries the invocation (and the Errors and
  // DigestsFailed alarms fire); the ledger lets the retry send only to those left out.
  const undelivered = undeliveredDigest(outcome);
  if (undelivered) throw undelivered;
  return {
    week,
    developments: outcome.developments,
    archived: outcome.htmlKey,
    timeline: outcome.timelineKey,
    sent: outcome.sent.length,
    alreadySent: outcome.alreadySent.length,
    inFlight: outcome.inFlight.length,
    failed: outcome.failed,
  };
}

function readSeed(list: string): string[] {
  try {
    return parseAddresses(list.split(','), 'SUBSCRIBERS');
  } catch (error) {
    throw new ConfigError((error as Error).message, { cause: error });
  }
}
