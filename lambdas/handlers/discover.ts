import { DynamoHostPacer } from '../adapters/dynamo-host-pacer.js';
import { DynamoStore } from '../adapters/dynamo-store.js';
import { PowertoolsLog } from '../adapters/logger.js';
import { PowertoolsMetrics } from '../adapters/powertools-metrics.js';
import { SqsFetchQueue } from '../adapters/sqs-fetch-queue.js';
import { type DiscoverResult, discover } from '../core/1-discover/discover.js';
import { readEnvironment } from './environment.js';
import { loadStoryServices } from './story-services.js';

const env = readEnvironment(['STORY_PATH', 'TABLE_NAME', 'FETCH_QUEUE_URL']);
const { story, http } = loadStoryServices(env.STORY_PATH, new DynamoHostPacer(env.TABLE_NAME));
const metrics = new PowertoolsMetrics(story.id);
const deps = {
  http,
  store: new DynamoStore(env.TABLE_NAME),
  queue: new SqsFetchQueue(env.FETCH_QUEUE_URL),
  log: new PowertoolsLog({ storyId: story.id }),
  metrics,
  now: () => new Date(),
};

/** Scheduled hourly: reads every source of the story and queues the new article URLs. */
export async function handler(): Promise<DiscoverResult> {
  try {
    return await discover(story, deps);
  } finally {
    metrics.publish();
  }
}
