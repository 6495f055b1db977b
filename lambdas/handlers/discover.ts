import { DynamoHostPacer } from '../adapters/dynamo-host-pacer.js';
import { DynamoSourceStates } from '../adapters/dynamo-source-states.js';
import { DynamoUrlLedger } from '../adapters/dynamo-url-ledger.js';
import { PowertoolsLog } from '../adapters/logger.js';
import { PowertoolsMetrics } from '../adapters/powertools-metrics.js';
import { SqsFetchQueue } from '../adapters/sqs-fetch-queue.js';
import { type DiscoverResult, discover } from '../core/1-discover/discover.js';
import { readEnvironment } from './environment.js';
import { type InvocationContext, invocationDeadline } from './invocation.js';
import { loadStoryServices } from './story-services.js';

const env = readEnvironment(['STORY_PATH', 'TABLE_NAME', 'FETCH_QUEUE_URL']);
const { story, http } = loadStoryServices(env.STORY_PATH, new DynamoHostPacer(env.TABLE_NAME));
const metrics = new PowertoolsMetrics(story.id);
const deps = {
  http,
  sourceStates: new DynamoSourceStates(env.TABLE_NAME),
  seenUrls: new DynamoUrlLedger(env.TABLE_NAME),
  queue: new SqsFetchQueue(env.FETCH_QUEUE_URL),
  log: new PowertoolsLog({ storyId: story.id }),
  metrics,
  now: () => new Date(),
};

/**
 * Scheduled hourly: reads every source of the story and queues the new article URLs. Its claims
 * are leased until the invocation's deadline (see admitLinks).
 */
export async function handler(
  _event?: unknown,
  context?: InvocationContext,
): Promise<DiscoverResult> {
  try {
    return await discover(story, deps, { deadline: invocationDeadline(deps.now(), context) });
  } finally {
    metrics.publish();
  }
}
