import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadStory, parseAlarmEmail } from '../../lib/app-config.js';
import type { StoryAlarms } from '../../lib/story-alarms.js';
import { StoryDigestStack } from '../../lib/story-digest-stack.js';
import { REPOSITORY_ROOT, stubProject } from '../support/stub-project.js';

const STORY_FILE = join(REPOSITORY_ROOT, 'stories/s400-turkey.json');
const story = loadStory(STORY_FILE);

type Json = Record<string, unknown>;

let fixtureRoot: string;

beforeAll(() => {
  fixtureRoot = stubProject('story-digest-alarms-');
});

afterAll(() => {
  rmSync(fixtureRoot, { recursive: true, force: true });
});

function synth(options: { alarmEmail?: string; noNewArticleDays?: number } = {}) {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new StoryDigestStack(app, 'StoryDigest-alarms', {
    story: {
      ...story,
      alarms: { noNewArticleDays: options.noNewArticleDays ?? story.alarms.noNewArticleDays },
    },
    storyFile: STORY_FILE,
    subscribers: [],
    projectRoot: fixtureRoot,
    ...(options.alarmEmail ? { alarmEmail: options.alarmEmail } : {}),
  });
  const template = Template.fromStack(stack);
  const alarms = stack.node.findChild('Alarms') as StoryAlarms;
  const logicalId = (construct: IConstruct) =>
    Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);
  const alarmsByName = new Map(
    Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((resource) => {
      const props = resource.Properties as Json;
      return [String(props.AlarmName).replace(`story-digest-${story.id}-`, ''), props];
    }),
  );
  const alarm = (name: string): Json => {
    const found = alarmsByName.get(name);
    if (!found) throw new Error(`no alarm ${name}; have ${[...alarmsByName.keys()].join(', ')}`);
    return found;
  };
  return { stack, template, topicId: logicalId(alarms.topic), logicalId, alarmsByName, alarm };
}

describe('alarms', () => {
  /** The default story and no alarmEmail; `other`: an operator's address and a 5-day quiet spell. */
  let world: ReturnType<typeof synth>;
  let other: ReturnType<typeof synth>;
  beforeAll(() => {
    world = synth();
    other = synth({ alarmEmail: 'ops@example.org', noNewArticleDays: 5 });
  });

  it('notifies the alarm topic of every alarm, on ALARM and on OK', () => {
    // + the delivery DLQ and the stuck-delivery alarms, and the deliver function's errors.
    expect(world.alarmsByName.size).toBe(1 + 7 + 1 + 1 + story.sources.length + 2 + 2);
    for (const [name, props] of world.alarmsByName) {
      expect(props.AlarmActions, name).toEqual([{ Ref: world.topicId }]);
      expect(props.OKActions, name).toEqual([{ Ref: world.topicId }]);
    }
  });

  it('has a TLS-only topic, given as an output, with no subscription unless alarmEmail is set', () => {
    world.template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: world.topicId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
    world.template.hasOutput('AlarmTopicArn', { Value: { Ref: world.topicId } });
    world.template.resourcePropertiesCountIs('AWS::SNS::Subscription', { Protocol: 'email' }, 0);
  });

  it('subscribes alarmEmail to the topic', () => {
    const { template, topicId } = other;
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.org',
      TopicArn: { Ref: topicId },
    });
    expect(parseAlarmEmail(' ops@example.org ')).toEqual({ alarmEmail: 'ops@example.org' });
    expect(parseAlarmEmail(undefined)).toEqual({});
    expect(() => parseAlarmEmail('ops@example.org,b@example.org')).toThrow(
      /context "alarmEmail" must be one email address/,
    );
  });

  it('fires as soon as a message is visible in the fetch DLQ', () => {
    const dlq = Object.keys(world.template.findResources('AWS::SQS::Queue')).find((id) =>
      id.startsWith('FetchDlq'),
    );
    expect(world.alarm('fetch-dlq-not-empty')).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlq, 'QueueName'] } }],
      Statistic: 'Maximum',
      Period: 300,
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
    });
  });

  it('fires on any error of each function within 5 minutes', () => {
    for (const [name, fn] of Object.entries(world.stack.functions)) {
      const alarmName = `${name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}-errors`;
      expect(world.alarm(alarmName), name).toMatchObject({
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: world.logicalId(fn) } }],
        Statistic: 'Sum',
        Period: 300,
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 0,
      });
    }
  });

  it('fires as soon as SES refuses a digest email', () => {
    expect(world.alarm('digests-failed')).toMatchObject({
      Namespace: 'StoryDigest',
      MetricName: 'DigestsFailed',
      Dimensions: [{ Name: 'story', Value: story.id }],
      Statistic: 'Sum',
      Period: 300,
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
    });
  });

  it('fires when no article was stored for the story’s noNewArticleDays, missing data included', () => {
    expect(story.alarms.noNewArticleDays).toBe(3);
    for (const [days, synthesized] of [
      [3, world],
      [5, other],
    ] as const) {
      expect(synthesized.alarm('no-new-articles')).toMatchObject({
        ComparisonOperator: 'LessThanThreshold',
        Threshold: 1,
        EvaluationPeriods: days,
        DatapointsToAlarm: days,
        TreatMissingData: 'breaching',
        Metrics: [
          { Id: 'expr_1', Expression: 'FILL(stored, 0)', ReturnData: true },
          {
            Id: 'stored',
            ReturnData: false,
            MetricStat: {
              Metric: {
                Namespace: 'StoryDigest',
                MetricName: 'ArticlesStored',
                Dimensions: [{ Name: 'story', Value: story.id }],
              },
              Period: 86_400,
              Stat: 'Sum',
            },
          },
        ],
      });
    }
  });

  it('fires for each source failing three discovery runs in a row', () => {
    for (const source of story.sources) {
      expect(world.alarm(`source-failing-${source.id}`), source.id).toMatchObject({
        Namespace: 'StoryDigest',
        MetricName: 'SourceFailureStreak',
        Dimensions: [
          { Name: 'source', Value: source.id },
          { Name: 'story', Value: story.id },
        ],
        Statistic: 'Maximum',
        Period: 3600,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        Threshold: 3,
        TreatMissingData: 'notBreaching',
      });
    }
  });

  it('fires at the SES review levels: bounce rate 5 %, complaint rate 0.1 %', () => {
    expect(world.alarm('ses-bounce-rate')).toMatchObject({
      Namespace: 'AWS/SES',
      MetricName: 'Reputation.BounceRate',
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Threshold: 0.05,
    });
    expect(world.alarm('ses-complaint-rate')).toMatchObject({
      Namespace: 'AWS/SES',
      MetricName: 'Reputation.ComplaintRate',
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Threshold: 0.001,
    });
    expect(world.alarm('ses-bounce-rate').Dimensions).toBeUndefined();
  });
});
