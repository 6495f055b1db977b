import { DynamoArticleStore } from '../adapters/dynamo-article-store.js';
import { DynamoCoverageLedger } from '../adapters/dynamo-coverage-ledger.js';
import { DynamoDevelopmentStore } from '../adapters/dynamo-development-store.js';
import { DynamoFetchFailures } from '../adapters/dynamo-fetch-failures.js';
import { DynamoHostPacer } from '../adapters/dynamo-host-pacer.js';
import { DynamoUrlLedger } from '../adapters/dynamo-url-ledger.js';
import { PowertoolsLog } from '../adapters/logger.js';
import { S3ArticleArchive } from '../adapters/s3-article-archive.js';
import { S3RawArchive } from '../adapters/s3-raw-archive.js';
import { SqsDeadLetterQueue } from '../adapters/sqs-dead-letter-queue.js';
import { SqsFetchQueue } from '../adapters/sqs-fetch-queue.js';
import { AddressUrlPolicy } from '../adapters/url-policy.js';
import { type BackfillResult, backfill } from '../core/1-discover/backfill.js';
import { parseBackfillPayload } from '../core/1-discover/backfill-payload.js';
import type { Progress } from '../core/ports/progress.js';
import { readEnvironment } from './environment.js';
import { type InvocationContext, invocationDeadline } from './invocation.js';
import { loadStoryServices, storyAnalysis } from './story-services.js';

const env = readEnvironment([
  'STORY_PATH',
  'TABLE_NAME',
  'BUCKET_NAME',
  'FETCH_QUEUE_URL',
  'FETCH_DLQ_URL',
]);
const { story, http } = loadStoryServices(env.STORY_PATH, new DynamoHostPacer(env.TABLE_NAME));
const analysis = storyAnalysis(story);
const deps = {
  seenUrls: new DynamoUrlLedger(env.TABLE_NAME),
  articles: new DynamoArticleStore(env.TABLE_NAME),
  developments: new DynamoDevelopmentStore(env.TABLE_NAME),
  coverage: new DynamoCoverageLedger(env.TABLE_NAME),
  queue: new SqsFetchQueue(env.FETCH_QUEUE_URL),
  deadLetters: new SqsDeadLetterQueue(env.FETCH_DLQ_URL, env.FETCH_QUEUE_URL),
  failures: new DynamoFetchFailures(env.TABLE_NAME),
  rawArchive: new S3RawArchive(env.BUCKET_NAME),
  articleArchive: new S3ArticleArchive(env.BUCKET_NAME),
  http,
  urls: new AddressUrlPolicy(story.fetch.allowPrivateNetworks),
  log: new PowertoolsLog(),
  now: () => new Date(),
};

/**
 * Invoked by hand: `{"urls"|"sitemap"|"feed"|"sources", "from", "to"}` queues history,
 * `{"reprocess": true}` re-reads the archive, `{"dlq": "list"|"replay"}` lists or replays the
 * fetch DLQ; see backfill-payload.ts.
 */
export async function handler(
  event: unknown,
  context?: InvocationContext,
): Promise<BackfillResult> {
  return runBackfill(event, undefined, context);
}

/** The handler's work with a progress reporter: the CLI runs the same code with its bar. */
export async function runBackfill(
  event: unknown,
  progress?: Progress,
  context?: InvocationContext,
): Promise<BackfillResult> {
  const payload = parseBackfillPayload(event, story);
  const run = { deadline: invocationDeadline(deps.now(), context) };
  return backfill(story, payload, analysis, { ...deps, progress }, run);
}
