import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { DynamoArticleStore } from '../adapters/dynamo-article-store.js';
import { DynamoCoverageLedger } from '../adapters/dynamo-coverage-ledger.js';
import { DynamoDevelopmentStore } from '../adapters/dynamo-development-store.js';
import { DynamoFetchFailures } from '../adapters/dynamo-fetch-failures.js';
import { DynamoHostPacer } from '../adapters/dynamo-host-pacer.js';
import { DynamoUrlLedger } from '../adapters/dynamo-url-ledger.js';
import { PowertoolsLog } from '../adapters/logger.js';
import { PowertoolsMetrics } from '../adapters/powertools-metrics.js';
import { S3ArticleArchive } from '../adapters/s3-article-archive.js';
import { S3RawArchive } from '../adapters/s3-raw-archive.js';
import { fetchAndProcess } from '../core/2-fetch/process-article.js';
import { describeError, PayloadError } from '../core/model/errors.js';
import { parsePayload } from '../core/model/validation.js';
import { type FetchRequest, fetchRequestSchema } from '../core/ports/fetch-queue.js';
import { readEnvironment } from './environment.js';
import { loadStoryServices, storyAnalysis } from './story-services.js';

const env = readEnvironment(['STORY_PATH', 'TABLE_NAME', 'BUCKET_NAME']);
const { story, http } = loadStoryServices(env.STORY_PATH, new DynamoHostPacer(env.TABLE_NAME));
const analysis = storyAnalysis(story);
const log = new PowertoolsLog({ storyId: analysis.story.id });
const metrics = new PowertoolsMetrics(analysis.story.id);
const deps = {
  http,
  rawArchive: new S3RawArchive(env.BUCKET_NAME),
  articleArchive: new S3ArticleArchive(env.BUCKET_NAME),
  seenUrls: new DynamoUrlLedger(env.TABLE_NAME),
  articles: new DynamoArticleStore(env.TABLE_NAME),
  developments: new DynamoDevelopmentStore(env.TABLE_NAME),
  coverage: new DynamoCoverageLedger(env.TABLE_NAME),
  failures: new DynamoFetchFailures(env.TABLE_NAME),
  log,
  metrics,
  now: () => new Date(),
};

/**
 * Fetch-queue consumer. Each message is one URL; the ones that fail are reported back as
 * batch item failures, so SQS retries only those (and moves them to the DLQ after the last try).
 */
export async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
  const results = await Promise.allSettled(event.Records.map((record) => processRecord(record)));
  metrics.publish();
  const batchItemFailures = results.flatMap((result, index) => {
    if (result.status === 'fulfilled') return [];
    const record = event.Records[index] as SQSRecord;
    log.error('fetch failed', {
      messageId: record.messageId,
      reason: describeError(result.reason),
    });
    return [{ itemIdentifier: record.messageId }];
  });
  return { batchItemFailures };
}

async function processRecord(record: SQSRecord): Promise<void> {
  const request = parseRequest(record);
  if (request.storyId !== analysis.story.id) {
    throw new PayloadError(
      `message ${record.messageId}`,
      `story "${request.storyId}" is not served here`,
    );
  }
  await fetchAndProcess(request, analysis, deps);
}

function parseRequest(record: SQSRecord): FetchRequest {
  let body: unknown;
  try {
    body = JSON.parse(record.body);
  } catch (error) {
    throw new PayloadError(`message ${record.messageId}`, 'body is not JSON', { cause: error });
  }
  return parsePayload(fetchRequestSchema, body, `message ${record.messageId}`);
}
