import { DynamoSubscriberStore } from '../adapters/dynamo-subscribers.js';
import { PowertoolsLog } from '../adapters/logger.js';
import { PowertoolsMetrics } from '../adapters/powertools-metrics.js';
import { loadStoryFile } from '../adapters/story-file.js';
import { PayloadError } from '../core/model/errors.js';
import { parsePayload } from '../core/model/validation.js';
import * as z from '../core/model/zod.js';
import { recordSesEvent, type SesEventOutcome } from '../core/subscribers/record-ses-event.js';
import { readEnvironment } from './environment.js';

const env = readEnvironment(['STORY_PATH', 'TABLE_NAME']);
const story = loadStoryFile(env.STORY_PATH);
const metrics = new PowertoolsMetrics(story.id);
const deps = {
  subscribers: new DynamoSubscriberStore(env.TABLE_NAME),
  storyId: story.id,
  log: new PowertoolsLog({ storyId: story.id }),
  metrics,
  now: () => new Date(),
};

const snsEventSchema = z.looseObject({
  Records: z
    .array(z.looseObject({ Sns: z.looseObject({ Message: z.string() }) }))
    .check(z.minLength(1)),
});

/** SES bounce and complaint notifications, through the configuration set's SNS topic. */
export async function handler(event: unknown): Promise<SesEventOutcome[]> {
  try {
    return await recordAll(event);
  } finally {
    metrics.publish();
  }
}

async function recordAll(event: unknown): Promise<SesEventOutcome[]> {
  const { Records } = parsePayload(snsEventSchema, event, 'SNS event');
  const outcomes: SesEventOutcome[] = [];
  for (const [index, record] of Records.entries()) {
    let notification: unknown;
    try {
      notification = JSON.parse(record.Sns.Message);
    } catch (error) {
      throw new PayloadError('SNS event', `Records[${index}].Sns.Message is not JSON`, {
        cause: error,
      });
    }
    outcomes.push(await recordSesEvent(notification, deps));
  }
  return outcomes;
}
