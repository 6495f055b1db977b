import { DynamoStore } from '../adapters/dynamo-store.js';
import { PowertoolsLog } from '../adapters/logger.js';
import { S3Archive } from '../adapters/s3-archive.js';
import { SqsFetchQueue } from '../adapters/sqs-fetch-queue.js';
import { type BackfillResult, backfill, parseBackfillPayload } from '../core/use-cases/backfill.js';
import { readEnvironment } from './environment.js';
import { loadStoryRuntime } from './story-runtime.js';

const env = readEnvironment(['STORY_PATH', 'TABLE_NAME', 'BUCKET_NAME', 'FETCH_QUEUE_URL']);
const { story, analysis } = loadStoryRuntime(env.STORY_PATH);
const deps = {
  store: new DynamoStore(env.TABLE_NAME),
  queue: new SqsFetchQueue(env.FETCH_QUEUE_URL),
  archive: new S3Archive(env.BUCKET_NAME),
  log: new PowertoolsLog(),
  now: () => new Date(),
};

/** Invoked by hand: `{"urls": [...]}` queues history, `{"reprocess": true}` re-reads the archive. */
export async function handler(event: unknown): Promise<BackfillResult> {
  return backfill(story, parseBackfillPayload(event), analysis, deps);
}
