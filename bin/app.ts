#!/usr/bin/env node
/**
 * The CDK app: one stack per story.
 *
 *   npx cdk synth -c story=stories/s400-turkey.json -c subscribers=a@example.org,b@example.org
 *   npx cdk deploy -c sesIdentity=example.org
 *
 * Context: `story` (story file, default stories/s400-turkey.json), `subscribers` (comma-separated
 * addresses, default none), `sesIdentity` (an SES identity that already exists, default the
 * domain of the story's digest.sender), `alarmEmail` (subscribed to the alarm topic, default none).
 */
import { App, Tags } from 'aws-cdk-lib';
import { type AppConfig, loadAppConfig } from '../lib/app-config.js';
import { StoryDigestStack } from '../lib/story-digest-stack.js';

const app = new App();
let config: AppConfig;
try {
  config = loadAppConfig((key) => app.node.tryGetContext(key));
} catch (error) {
  // A bad story file or context value is an operator error: say what it is, without a stack trace.
  console.error(`story-digest: ${(error as Error).message}`);
  process.exit(1);
}

const stack = new StoryDigestStack(app, `StoryDigest-${config.story.id}`, {
  story: config.story,
  storyFile: config.storyFile,
  subscribers: config.subscribers,
  sesIdentity: config.sesIdentity,
  alarmEmail: config.alarmEmail,
});
Tags.of(stack).add('project', 'story-digest');
Tags.of(stack).add('story', config.story.id);
