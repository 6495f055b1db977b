import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { partitionPatterns } from '../../lambdas/adapters/table-layout.js';
import {
  loadAppConfig,
  loadStory,
  parseSesIdentity,
  parseSubscribers,
} from '../../lib/app-config.js';
import { StoryDigestStack } from '../../lib/story-digest-stack.js';
import { matchesPattern, TABLE_ACCESS } from '../../lib/table-access.js';
import { HANDLERS, REPOSITORY_ROOT, stubProject } from '../support/stub-project.js';

const STORY_FILE = join(REPOSITORY_ROOT, 'stories/s400-turkey.json');
const SUBSCRIBERS = ['ana@example.org', 'ben@example.org'];

const story = loadStory(STORY_FILE);

type Json = Record<string, unknown>;
type Statement = {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
};

/**
 * A stand-in project root with stub handlers, so these tests check the infrastructure whether or
 * not the real handlers exist yet (the real tree is synthesized separately below).
 */
let fixtureRoot: string;
let stack: StoryDigestStack;
let template: Template;
let resources: Record<string, Json>;

beforeAll(() => {
  fixtureRoot = stubProject('story-digest-infra-');

  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  stack = new StoryDigestStack(app, 'StoryDigest-test', {
    story,
    storyFile: STORY_FILE,
    subscribers: SUBSCRIBERS,
    projectRoot: fixtureRoot,
  });
  template = Template.fromStack(stack);
  resources = template.toJSON().Resources as Record<string, Json>;
});

afterAll(() => {
  rmSync(fixtureRoot, { recursive: true, force: true });
});

function logicalId(fn: IFunction): string {
  return Stack.of(fn).getLogicalId(fn.node.defaultChild as CfnElement);
}

function props(id: string): Json {
  const resource = resources[id];
  if (!resource) throw new Error(`no resource ${id}`);
  return resource.Properties as Json;
}

function environment(fn: IFunction): Record<string, unknown> {
  return (props(logicalId(fn)).Environment as { Variables: Record<string, unknown> }).Variables;
}

/** Every statement of every policy attached to the function's execution role. */
function roleStatements(fn: IFunction): Statement[] {
  const role = props(logicalId(fn)).Role as { 'Fn::GetAtt': [string, string] };
  const roleId = role['Fn::GetAtt'][0];
  return Object.values(resources)
    .filter((resource) => resource.Type === 'AWS::IAM::Policy')
    .filter((resource) =>
      ((resource.Properties as Json).Roles as unknown[]).some(
        (ref) => (ref as Json).Ref === roleId,
      ),
    )
    .flatMap(
      (resource) =>
        ((resource.Properties as Json).PolicyDocument as { Statement: Statement[] }).Statement,
    );
}

function actions(statements: Statement[]): string[] {
  return statements.flatMap((statement) => [statement.Action].flat());
}

/** The archive bucket's logical id (the other bucket holds its access logs). */
function archiveBucketId(): string {
  const ids = Object.keys(template.findResources('AWS::S3::Bucket')).filter(
    (id) => id.startsWith('Archive') && !id.startsWith('ArchiveAccessLogs'),
  );
  expect(ids).toHaveLength(1);
  return ids[0] as string;
}

function getAtt(fn: IFunction) {
  return { 'Fn::GetAtt': [logicalId(fn), 'Arn'] };
}

describe('storage', () => {
  it('keeps the archive private, encrypted, versioned and TLS-only', () => {
    template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
          ],
        },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        VersioningConfiguration: { Status: 'Enabled' },
      }),
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('has one single-table design table with the byFirstReported index', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: Match.arrayWith([
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
          { AttributeName: 'gsi1pk', AttributeType: 'S' },
          { AttributeName: 'gsi1sk', AttributeType: 'S' },
        ]),
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
        DeletionProtectionEnabled: true,
        GlobalSecondaryIndexes: [
          {
            IndexName: 'byFirstReported',
            KeySchema: [
              { AttributeName: 'gsi1pk', KeyType: 'HASH' },
              { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
      }),
    });
  });
});

describe('fetch queue', () => {
  function queueId(path: string): string {
    const id = Object.keys(resources).find(
      (key) => resources[key]?.Type === 'AWS::SQS::Queue' && key.startsWith(path),
    );
    if (!id) throw new Error(`no queue ${path}`);
    return id;
  }

  it('redrives to an encrypted 14-day DLQ after three receives', () => {
    const dlq = queueId('FetchDlq');
    const queue = props(queueId('FetchQueue'));
    expect(queue.RedrivePolicy).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': [dlq, 'Arn'] },
      maxReceiveCount: 3,
    });
    expect(queue.SqsManagedSseEnabled).toBe(true);
    expect(props(dlq)).toMatchObject({
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 1209600,
    });
  });

  it('waits at least six fetch timeouts before redelivering', () => {
    const queue = props(queueId('FetchQueue'));
    const timeout = props(logicalId(stack.functions.fetch)).Timeout as number;
    expect(queue.VisibilityTimeout).toBeGreaterThanOrEqual(6 * timeout);
  });

  it('denies non-TLS access to both queues', () => {
    for (const path of ['FetchQueue', 'FetchDlq']) {
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: queueId(path) }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
      });
    }
  });

  it('feeds the fetch function in small batches with partial failures', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: logicalId(stack.functions.fetch) },
      EventSourceArn: { 'Fn::GetAtt': [queueId('FetchQueue'), 'Arn'] },
      BatchSize: 5,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 5 },
    });
  });
});

describe('schedules', () => {
  it('feeds the senders one batch at a time from an encrypted delivery queue with a 5-receive DLQ', () => {
    const queues = template.findResources('AWS::SQS::Queue');
    const [deliveryId, delivery] = Object.entries(queues).find(([id]) =>
      id.startsWith('DeliveryQueue'),
    ) as [string, { Properties: Json }];
    expect(delivery.Properties).toMatchObject({
      SqsManagedSseEnabled: true,
      // Six sender timeouts (3 minutes each).
      VisibilityTimeout: 1080,
      RedrivePolicy: {
        deadLetterTargetArn: { 'Fn::GetAtt': [expect.stringMatching(/^DeliveryDlq/), 'Arn'] },
        maxReceiveCount: 5,
      },
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [deliveryId, 'Arn'] },
      FunctionName: { Ref: logicalId(stack.functions.deliver) },
      BatchSize: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 5 },
    });
    const env = environment(stack.functions.deliver);
    expect(Object.keys(env).sort()).toEqual(
      [
        'POWERTOOLS_SERVICE_NAME',
        'NODE_OPTIONS',
        'STORY_PATH',
        'TABLE_NAME',
        'BUCKET_NAME',
        'SES_CONFIGURATION_SET',
        'UNSUBSCRIBE_SECRET_ARN',
        'WEB_BASE_URL',
        'DELIVERY_QUEUE_URL',
        'DELIVERY_DLQ_URL',
      ].sort(),
    );
    expect(actions(roleStatements(stack.functions.deliver))).toEqual(
      expect.arrayContaining(['ses:SendEmail', 'ses:GetAccount', 'sqs:SendMessage']),
    );
  });

  it('runs discover hourly, with retries', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(1 hour)',
      Target: Match.objectLike({
        Arn: getAtt(stack.functions.discover),
        RetryPolicy: Match.objectLike({ MaximumRetryAttempts: Match.anyValue() }),
      }),
    });
  });

  it("runs the digest on the story's cron in the story's time zone, with retries", () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: story.digest.schedule,
      ScheduleExpressionTimezone: story.timeZone,
      Target: Match.objectLike({
        Arn: getAtt(stack.functions.digest),
        RetryPolicy: Match.objectLike({ MaximumRetryAttempts: Match.anyValue() }),
      }),
    });
  });

  it('never schedules fetch or backfill', () => {
    const targets = Object.values(template.findResources('AWS::Scheduler::Schedule')).map(
      (schedule) => JSON.stringify((schedule.Properties as Json).Target),
    );
    for (const fn of [stack.functions.fetch, stack.functions.backfill]) {
      expect(targets.some((target) => target.includes(`"${logicalId(fn)}"`))).toBe(false);
    }
  });
});

describe('functions', () => {
  const base = {
    POWERTOOLS_SERVICE_NAME: 'story-digest',
    NODE_OPTIONS: '--enable-source-maps',
    STORY_PATH: '/var/task/story.json',
  };

  it('run Node.js 24 on arm64 with a one-month log group', () => {
    const functions = Object.values(template.findResources('AWS::Lambda::Function'));
    expect(functions.length).toBeGreaterThan(0);
    for (const fn of functions) {
      expect(fn.Properties).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'] });
    }
    for (const fn of Object.values(stack.functions)) {
      const logGroup = (props(logicalId(fn)).LoggingConfig as Json).LogGroup as Json;
      expect(props(logGroup.Ref as string).RetentionInDays).toBe(30);
    }
  });

  it('discover gets the table and the fetch queue', () => {
    expect(environment(stack.functions.discover)).toEqual({
      ...base,
      TABLE_NAME: { Ref: expect.stringMatching(/^Table/) },
      FETCH_QUEUE_URL: { Ref: expect.stringMatching(/^FetchQueue/) },
    });
  });

  it('fetch gets the table and the bucket', () => {
    expect(Object.keys(environment(stack.functions.fetch)).sort()).toEqual(
      [...Object.keys(base), 'TABLE_NAME', 'BUCKET_NAME'].sort(),
    );
    expect(environment(stack.functions.fetch)).toMatchObject(base);
  });

  it('digest gets the table, the bucket, the templates and the email settings', () => {
    const env = environment(stack.functions.digest);
    expect(Object.keys(env).sort()).toEqual(
      [
        ...Object.keys(base),
        'TABLE_NAME',
        'BUCKET_NAME',
        'TEMPLATES_DIR',
        'SUBSCRIBERS',
        'SES_CONFIGURATION_SET',
        'DELIVERY_QUEUE_URL',
        'WEB_BASE_URL',
      ].sort(),
    );
    expect(env.WEB_BASE_URL).toEqual({
      'Fn::GetAtt': [expect.stringMatching(/^WebFunctionFunctionUrl/), 'FunctionUrl'],
    });
    expect(env.DELIVERY_QUEUE_URL).toEqual({ Ref: expect.stringMatching(/^DeliveryQueue/) });
    expect(env).toMatchObject({
      ...base,
      TEMPLATES_DIR: '/var/task/templates',
      SUBSCRIBERS: 'ana@example.org,ben@example.org',
    });
    const [configurationSet] = Object.keys(template.findResources('AWS::SES::ConfigurationSet'));
    expect(env.SES_CONFIGURATION_SET).toEqual({ Ref: configurationSet });
  });

  it('web and ses-events get the table, and web the signing key, the bucket and SES', () => {
    expect(Object.keys(environment(stack.functions.web)).sort()).toEqual(
      [
        ...Object.keys(base),
        'TABLE_NAME',
        'UNSUBSCRIBE_SECRET_ARN',
        'BUCKET_NAME',
        'SES_CONFIGURATION_SET',
      ].sort(),
    );
    expect(Object.keys(environment(stack.functions.sesEvents)).sort()).toEqual(
      [...Object.keys(base), 'TABLE_NAME'].sort(),
    );
  });

  it('backfill gets the table, the bucket, the fetch queue and its DLQ', () => {
    expect(Object.keys(environment(stack.functions.backfill)).sort()).toEqual(
      [
        ...Object.keys(base),
        'TABLE_NAME',
        'BUCKET_NAME',
        'FETCH_QUEUE_URL',
        'FETCH_DLQ_URL',
      ].sort(),
    );
  });

  it('outputs every function name and the storage names', () => {
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    for (const name of ['Discover', 'Fetch', 'Digest', 'Backfill']) {
      const fn = stack.functions[name.toLowerCase() as keyof typeof stack.functions];
      expect(outputs[`${name}FunctionName`]?.Value).toEqual({ Ref: logicalId(fn) });
    }
    for (const name of ['BucketName', 'TableName', 'FetchQueueUrl', 'FetchDlqUrl']) {
      expect(outputs[name]).toBeDefined();
    }
  });
});

describe('unsubscribe and bounces', () => {
  it('serves the web function on a public Function URL and nothing else of it', () => {
    template.resourceCountIs('AWS::Lambda::Url', 1);
    template.hasResourceProperties('AWS::Lambda::Url', {
      AuthType: 'NONE',
      TargetFunctionArn: getAtt(stack.functions.web),
    });
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(outputs.WebUrl?.Value).toEqual({
      'Fn::GetAtt': [expect.stringMatching(/^WebFunctionFunctionUrl/), 'FunctionUrl'],
    });
  });

  it('generates the signing key in Secrets Manager and keeps it', () => {
    template.hasResource('AWS::SecretsManager::Secret', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        GenerateSecretString: Match.objectLike({ PasswordLength: 64 }),
      }),
    });
  });

  it('suppresses bounces and complaints in SES and publishes them to a TLS-only topic', () => {
    template.hasResourceProperties('AWS::SES::ConfigurationSet', {
      SuppressionOptions: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] },
    });
    const [topic] = Object.keys(template.findResources('AWS::SNS::Topic'));
    template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      EventDestination: Match.objectLike({
        MatchingEventTypes: ['bounce', 'complaint'],
        SnsDestination: { TopicARN: { Ref: topic } },
      }),
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'lambda',
      TopicArn: { Ref: topic },
      Endpoint: getAtt(stack.functions.sesEvents),
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });
});

describe('least privilege', () => {
  it('lets web and ses-events only read and update the story’s subscriber items; web count sign-ups', () => {
    for (const fn of [stack.functions.web, stack.functions.sesEvents]) {
      const dynamo = roleStatements(fn).filter((statement) =>
        actions([statement]).some((action) => action.startsWith('dynamodb:')),
      );
      expect(dynamo).toHaveLength(fn === stack.functions.web ? 2 : 1);
      expect(dynamo[0]).toMatchObject({
        Action: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
        Condition: {
          'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['SUBSCRIBERS#s400-turkey'] },
        },
      });
      expect(actions(roleStatements(fn)).filter((a) => /^sqs:/.test(a))).toEqual([]);
    }
    expect(
      roleStatements(stack.functions.web).filter((statement) =>
        actions([statement]).some((action) => action.startsWith('dynamodb:')),
      )[1],
    ).toMatchObject({
      Action: 'dynamodb:UpdateItem',
      Condition: {
        'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['SIGNUP-SOURCES#s400-turkey'] },
      },
    });
    expect(
      actions(roleStatements(stack.functions.sesEvents)).filter((a) => a.startsWith('ses:')),
    ).toEqual([]);
    expect(
      actions(roleStatements(stack.functions.sesEvents)).filter((a) => /^s3:/.test(a)),
    ).toEqual([]);
    expect(
      actions(roleStatements(stack.functions.sesEvents)).filter((a) =>
        a.startsWith('secretsmanager:'),
      ),
    ).toEqual([]);
  });

  it('lets web read only the archived pages under digests/, not list or write the bucket', () => {
    const s3 = roleStatements(stack.functions.web).filter((statement) =>
      actions([statement]).some((action) => action.startsWith('s3:')),
    );
    const bucket = archiveBucketId();
    expect(s3).toEqual([
      {
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucket, 'Arn'] }, '/digests/*']] },
      },
    ]);
  });

  it('lets only the senders and the web function read the signing key', () => {
    for (const [name, fn] of Object.entries(stack.functions)) {
      const reads = actions(roleStatements(fn)).includes('secretsmanager:GetSecretValue');
      expect([name, reads]).toEqual([name, name === 'deliver' || name === 'web']);
    }
  });

  it('lets digest and web send email only as the story identity through its configuration set', () => {
    for (const fn of [stack.functions.digest, stack.functions.web]) {
      const ses = roleStatements(fn).filter((statement) =>
        actions([statement]).some((action) => action.startsWith('ses:')),
      );
      expect(ses).toHaveLength(1);
      const [statement] = ses;
      expect(actions(ses)).toEqual(['ses:SendEmail']);
      const arns = [statement?.Resource].flat();
      expect(arns).toHaveLength(2);
      expect(arns).not.toContain('*');
      const text = JSON.stringify(arns);
      expect(text).toContain(':identity/story-digest.example.com');
      expect(text).toContain(':configuration-set/');
    }
    // Only the digest holds the seed list.
    expect(environment(stack.functions.web).SUBSCRIBERS).toBeUndefined();
  });

  it('creates no SES identity (the operator verifies it)', () => {
    template.resourceCountIs('AWS::SES::EmailIdentity', 0);
  });

  it('keeps discover away from S3 and SES', () => {
    const granted = actions(roleStatements(stack.functions.discover));
    expect(granted.filter((action) => /^(s3|ses):/.test(action))).toEqual([]);
    expect(granted).toContain('sqs:SendMessage');
  });

  it('lets fetch and digest write but not read the archive; backfill re-reads it and rewrites articles', () => {
    for (const fn of [stack.functions.fetch, stack.functions.digest]) {
      const granted = actions(roleStatements(fn));
      expect(granted).toContain('s3:PutObject');
      expect(granted.filter((action) => action.startsWith('s3:Get'))).toEqual([]);
    }
    const backfill = actions(roleStatements(stack.functions.backfill));
    expect(backfill.some((action) => action.startsWith('s3:Get'))).toBe(true);
    expect(backfill).toContain('s3:PutObject');
  });

  it('lets only backfill receive and delete the DLQ’s messages (to list and replay them)', () => {
    const dlq = Object.keys(template.findResources('AWS::SQS::Queue')).find((id) =>
      id.startsWith('FetchDlq'),
    );
    const onDlq = (fn: IFunction) =>
      roleStatements(fn).filter((statement) =>
        JSON.stringify(statement.Resource).includes(`"${dlq}"`),
      );
    expect(actions(onDlq(stack.functions.backfill))).toEqual(
      expect.arrayContaining([
        'sqs:ReceiveMessage',
        'sqs:ChangeMessageVisibility',
        'sqs:DeleteMessage',
      ]),
    );
    expect(environment(stack.functions.backfill).FETCH_DLQ_URL).toEqual({ Ref: dlq });
    for (const [name, fn] of Object.entries(stack.functions)) {
      if (name !== 'backfill') expect([name, onDlq(fn)]).toEqual([name, []]);
    }
  });

  it('lets only backfill delete archived objects (clean copies of articles re-processing finds off the story), and none send to the queue unless it enqueues', () => {
    for (const [name, fn] of Object.entries(stack.functions)) {
      const deletes = actions(roleStatements(fn)).filter((a) => a.startsWith('s3:Delete'));
      expect([name, deletes]).toEqual([name, name === 'backfill' ? ['s3:DeleteObject'] : []]);
    }
    expect(actions(roleStatements(stack.functions.fetch))).not.toContain('sqs:SendMessage');
    // The digest run queues delivery batches, never fetches.
    const queuesOf = (fn: IFunction) =>
      roleStatements(fn)
        .filter((statement) => actions([statement]).includes('sqs:SendMessage'))
        .map((statement) => JSON.stringify(statement.Resource));
    expect(queuesOf(stack.functions.digest)).toEqual([
      expect.stringMatching(/"DeliveryQueue[0-9A-F]+"/),
    ]);
    expect(queuesOf(stack.functions.deliver)).toEqual([
      expect.stringMatching(/"DeliveryQueue[0-9A-F]+"/),
      expect.stringMatching(/"DeliveryDlq[0-9A-F]+"/),
    ]);
  });
});

/** Every identity-policy statement of the stack, with the logical id of the policy or role holding it. */
function identityStatements(): { owner: string; statement: Statement }[] {
  return Object.entries(resources).flatMap(([id, resource]) => {
    const properties = (resource.Properties ?? {}) as Json;
    const documents: unknown[] =
      resource.Type === 'AWS::IAM::Policy' || resource.Type === 'AWS::IAM::ManagedPolicy'
        ? [properties.PolicyDocument]
        : resource.Type === 'AWS::IAM::Role'
          ? ((properties.Policies as Json[] | undefined) ?? []).map((p) => p.PolicyDocument)
          : [];
    return documents.flatMap((document) =>
      (document as { Statement: Statement[] }).Statement.map((statement) => ({
        owner: id,
        statement,
      })),
    );
  });
}

/** A resource as cdk-nag prints it: `<Logical.Attr>` for GetAtt, `<Logical>` for Ref, joins joined. */
function renderArn(value: unknown): string {
  if (typeof value === 'string') return value;
  const object = value as Json;
  if ('Fn::Join' in object) {
    const [separator, parts] = object['Fn::Join'] as [string, unknown[]];
    return parts.map(renderArn).join(separator);
  }
  if ('Fn::GetAtt' in object) return `<${(object['Fn::GetAtt'] as string[]).join('.')}>`;
  if ('Ref' in object) return `<${object.Ref as string}>`;
  return JSON.stringify(value);
}

function logGroupOf(fn: IFunction): string {
  return ((props(logicalId(fn)).LoggingConfig as Json).LogGroup as Json).Ref as string;
}

describe('security posture', () => {
  it('has no identity policy statement allowing `*` or a whole service (`service:*`)', () => {
    const statements = identityStatements();
    expect(statements.length).toBeGreaterThan(20);
    const broad = statements.flatMap(({ owner, statement }) =>
      [statement.Action]
        .flat()
        .filter((action) => action === '*' || /^[a-z0-9-]+:\*$/i.test(action))
        .map((action) => `${owner}: ${action}`),
    );
    expect(broad).toEqual([]);
    expect(statements.every(({ statement }) => statement.Effect === 'Allow')).toBe(true);
  });

  it('allows wildcard resources only for key prefixes of the archive, per function', () => {
    const archive = archiveBucketId();
    const roleOf = new Map(
      Object.entries(stack.functions).map(([name, fn]) => {
        const role = props(logicalId(fn)).Role as { 'Fn::GetAtt': [string, string] };
        return [role['Fn::GetAtt'][0], name];
      }),
    );
    const policyOwner = (id: string) => {
      const roles = (props(id).Roles as { Ref: string }[] | undefined) ?? [];
      return roles.map((role) => roleOf.get(role.Ref) ?? role.Ref).join(',') || id;
    };
    const wildcards = identityStatements().flatMap(({ owner, statement }) =>
      [statement.Resource]
        .flat()
        .map(renderArn)
        .filter((arn) => arn.includes('*'))
        .map((arn) => `${policyOwner(owner)} ${[statement.Action].flat().join(',')} ${arn}`),
    );
    // The list of allowed wildcard resources: objects under one key prefix (keys are article ids
    // and weeks, named at run time). Each is acknowledged for cdk-nag in lib/nag-acknowledgments.ts.
    // (A log group's Arn attribute also ends in `:*`, its streams: see the next test.)
    expect(wildcards.sort()).toEqual(
      [
        `backfill s3:GetObject <${archive}.Arn>/raw/*`,
        `backfill s3:PutObject <${archive}.Arn>/articles/*`,
        `backfill s3:DeleteObject <${archive}.Arn>/articles/*`,
        `digest s3:PutObject <${archive}.Arn>/digests/*`,
        `digest s3:PutObject <${archive}.Arn>/outgoing/*`,
        `deliver s3:GetObject <${archive}.Arn>/outgoing/*`,
        // GetAccount (the send quota) has no resource-level permission.
        'deliver ses:GetAccount *',
        `fetch s3:PutObject <${archive}.Arn>/articles/*`,
        `fetch s3:PutObject <${archive}.Arn>/raw/*`,
        `web s3:GetObject <${archive}.Arn>/digests/*`,
      ].sort(),
    );
  });

  it('gives each function a role of its own, with no managed policy, writing only its own logs', () => {
    const roleIds = new Set<string>();
    for (const [name, fn] of Object.entries(stack.functions)) {
      const roleId = (props(logicalId(fn)).Role as { 'Fn::GetAtt': [string, string] })[
        'Fn::GetAtt'
      ][0];
      roleIds.add(roleId);
      const role = props(roleId);
      expect([name, role.ManagedPolicyArns]).toEqual([name, undefined]);
      expect(role.AssumeRolePolicyDocument).toMatchObject({
        Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } }],
      });
      const logs = roleStatements(fn).filter((statement) =>
        actions([statement]).some((action) => action.startsWith('logs:')),
      );
      expect([name, logs]).toEqual([
        name,
        [
          {
            Effect: 'Allow',
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            Resource: { 'Fn::GetAtt': [logGroupOf(fn), 'Arn'] },
          },
        ],
      ]);
    }
    expect(roleIds.size).toBe(Object.keys(stack.functions).length);
    for (const role of Object.values(template.findResources('AWS::IAM::Role'))) {
      expect((role.Properties as Json).ManagedPolicyArns).toBeUndefined();
    }
  });

  it('limits each pipeline function to the partitions it owns (dynamodb:LeadingKeys): none but digest touches deliveries or subscribers', () => {
    const leadingKeys = (name: keyof typeof TABLE_ACCESS) =>
      roleStatements(stack.functions[name])
        .filter(
          (statement) => statement.Resource && JSON.stringify(statement.Resource).includes('Table'),
        )
        .flatMap(
          (statement) =>
            ((statement.Condition as Json | undefined)?.['ForAllValues:StringLike'] as
              | { 'dynamodb:LeadingKeys': string[] }
              | undefined) ?? { 'dynamodb:LeadingKeys': ['(none)'] },
        )
        .flatMap((condition) => condition['dynamodb:LeadingKeys']);
    expect(leadingKeys('discover')).toEqual(['URL#*', 'SOURCE#s400-turkey#*', 'HOST#*']);
    expect(leadingKeys('fetch')).toEqual([
      'URL#*',
      'HOST#*',
      'ARTICLE#*',
      'FP#s400-turkey',
      'DEV#*',
      'TYPE#s400-turkey#*',
      'AMOUNT#s400-turkey#*',
      'COVERAGE#s400-turkey',
    ]);
    expect(leadingKeys('backfill')).toEqual(leadingKeys('fetch'));
    const digest = leadingKeys('digest');
    expect(digest.slice(0, -1)).toEqual([
      'DEV#*',
      'TYPE#s400-turkey#*',
      'AMOUNT#s400-turkey#*',
      'FP#s400-turkey',
      'COVERAGE#s400-turkey',
      'SOURCE#s400-turkey#*',
      'DIGEST#s400-turkey#*',
      'TIMELINE#s400-turkey',
      'SUBSCRIBERS#s400-turkey',
    ]);
    expect(digest.at(-1)).toBe('(none)'); // the byFirstReported index: developments only
    expect(leadingKeys('deliver')).toEqual([
      'DIGEST#s400-turkey#*',
      'SUBSCRIBERS#s400-turkey',
      'SENDRATE#s400-turkey',
    ]);
    for (const name of ['discover', 'fetch', 'backfill'] as const) {
      const granted = leadingKeys(name);
      for (const key of [
        'DIGEST#s400-turkey#2019-W29',
        'SUBSCRIBERS#s400-turkey',
        'TIMELINE#s400-turkey',
      ]) {
        expect([name, key, granted.some((pattern) => matchesPattern(key, pattern))]).toEqual([
          name,
          key,
          false,
        ]);
      }
    }
  });

  it('grants the pipeline functions item-level table calls, never Scan, and the index by name to digest only', () => {
    const table = Object.keys(template.findResources('AWS::DynamoDB::Table'))[0];
    const itemActions = [
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:DeleteItem',
      'dynamodb:BatchWriteItem',
      'dynamodb:Query',
    ];
    for (const name of ['discover', 'fetch', 'digest', 'backfill'] as const) {
      const dynamo = roleStatements(stack.functions[name]).filter((statement) =>
        actions([statement]).some((action) => action.startsWith('dynamodb:')),
      );
      const expected: Statement[] = [
        {
          Effect: 'Allow',
          Action: itemActions,
          Resource: { 'Fn::GetAtt': [table, 'Arn'] },
          Condition: {
            'ForAllValues:StringLike': {
              'dynamodb:LeadingKeys': TABLE_ACCESS[name].map(
                (kind) => partitionPatterns(story.id)[kind],
              ),
            },
          },
        },
      ];
      if (name === 'digest') {
        expected.push({
          Effect: 'Allow',
          Action: 'dynamodb:Query',
          Resource: {
            'Fn::Join': ['', [{ 'Fn::GetAtt': [table, 'Arn'] }, '/index/byFirstReported']],
          },
        });
      }
      expect([name, dynamo]).toEqual([name, expected]);
    }
    const everything = identityStatements().flatMap(({ statement }) => actions([statement]));
    expect(
      everything.filter((action) => /^dynamodb:(Scan|.*Table|.*Stream.*)$/.test(action)),
    ).toEqual([]);
  });

  it('grants S3 per key prefix: fetch and digest write theirs, backfill lists and reads raw/, rewrites and removes articles/', () => {
    const archive = archiveBucketId();
    const s3 = (fn: IFunction) =>
      roleStatements(fn)
        .filter((statement) => actions([statement]).some((action) => action.startsWith('s3:')))
        .map((statement) => ({
          ...statement,
          Resource: [statement.Resource].flat().map(renderArn),
        }));
    const objects = (...prefixes: string[]) => prefixes.map((p) => `<${archive}.Arn>/${p}*`);
    expect(s3(stack.functions.fetch)).toEqual([
      { Effect: 'Allow', Action: 's3:PutObject', Resource: objects('raw/', 'articles/') },
    ]);
    expect(s3(stack.functions.digest)).toEqual([
      { Effect: 'Allow', Action: 's3:PutObject', Resource: objects('digests/', 'outgoing/') },
    ]);
    expect(s3(stack.functions.deliver)).toEqual([
      { Effect: 'Allow', Action: 's3:GetObject', Resource: objects('outgoing/') },
    ]);
    expect(s3(stack.functions.backfill)).toEqual([
      { Effect: 'Allow', Action: 's3:GetObject', Resource: objects('raw/') },
      { Effect: 'Allow', Action: 's3:PutObject', Resource: objects('articles/') },
      { Effect: 'Allow', Action: 's3:DeleteObject', Resource: objects('articles/') },
      {
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: [`<${archive}.Arn>`],
        Condition: { StringLike: { 's3:prefix': ['raw/*'] } },
      },
    ]);
    expect(s3(stack.functions.discover)).toEqual([]);
  });

  it('lets each schedule invoke only its function, unqualified, through a role only Scheduler assumes', () => {
    for (const fn of [stack.functions.discover, stack.functions.digest]) {
      const schedules = Object.values(template.findResources('AWS::Scheduler::Schedule')).filter(
        (s) => JSON.stringify((s.Properties as Json).Target).includes(`"${logicalId(fn)}"`),
      );
      expect(schedules).toHaveLength(1);
      const [schedule = {}] = schedules;
      const target = (schedule.Properties as Json).Target as {
        RoleArn: { 'Fn::GetAtt': [string, string] };
      };
      const roleId = target.RoleArn['Fn::GetAtt'][0];
      expect(props(roleId).AssumeRolePolicyDocument).toMatchObject({
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'scheduler.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          },
        ],
      });
      const granted = identityStatements()
        .filter(({ owner }) =>
          ((props(owner).Roles as { Ref: string }[] | undefined) ?? []).some(
            (role) => role.Ref === roleId,
          ),
        )
        .map(({ statement }) => statement);
      expect(granted).toEqual([
        {
          Effect: 'Allow',
          Action: 'lambda:InvokeFunction',
          Resource: [{ 'Fn::Join': ['', [getAtt(fn), ':$LATEST']] }, getAtt(fn)],
        },
      ]);
    }
  });

  it('logs archive access to a private, TLS-only bucket that keeps logs 90 days', () => {
    const archive = archiveBucketId();
    const [logs] = Object.keys(template.findResources('AWS::S3::Bucket')).filter((id) =>
      id.startsWith('ArchiveAccessLogs'),
    );
    expect(props(archive).LoggingConfiguration).toEqual({
      DestinationBucketName: { Ref: logs },
      LogFilePrefix: 'archive/',
    });
    template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
          ],
        },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        LifecycleConfiguration: {
          Rules: [{ Id: 'ExpireAccessLogs', ExpirationInDays: 90, Status: 'Enabled' }],
        },
      }),
    });
    // Delivery by bucket policy (S3 logging service, from the archive only), not by a log ACL.
    expect(props(logs as string).AccessControl).toBeUndefined();
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logs },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'logging.s3.amazonaws.com' },
            Action: 's3:PutObject',
            Condition: Match.objectLike({
              ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [archive, 'Arn'] } },
            }),
          }),
        ]),
      },
    });
  });

  it('moves raw/ to Standard-IA after 30 days and expires noncurrent versions after 30 days', () => {
    const archive = props(archiveBucketId());
    expect(archive.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(archive.LifecycleConfiguration).toEqual({
      Rules: [
        {
          Id: 'RawToInfrequentAccess',
          Prefix: 'raw/',
          Status: 'Enabled',
          Transitions: [{ StorageClass: 'STANDARD_IA', TransitionInDays: 30 }],
        },
        {
          Id: 'ExpireNoncurrentVersions',
          NoncurrentVersionExpiration: { NoncurrentDays: 30 },
          Status: 'Enabled',
        },
      ],
      // Objects under 128 KB stay in Standard (Standard-IA would bill them as 128 KB).
      TransitionDefaultMinimumObjectSize: 'all_storage_classes_128K',
    });
  });

  it('keeps the table recoverable: point-in-time recovery, deletion protection, retained', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
      }),
    });
  });

  it('keeps every secret value out of the template and the functions’ environments', () => {
    const [secret] = Object.keys(template.findResources('AWS::SecretsManager::Secret'));
    // Generated by Secrets Manager at deploy time: no value in the template.
    expect(props(secret as string).SecretString).toBeUndefined();
    // No dynamic reference anywhere would inline a secret value at deploy time.
    expect(JSON.stringify(template.toJSON())).not.toMatch(
      /resolve:secretsmanager|resolve:ssm-secure/,
    );
    const secretLike = /SECRET|KEY|TOKEN|PASSWORD|PASSWD|CREDENTIAL|HMAC|PRIVATE/i;
    const functions = Object.entries(template.findResources('AWS::Lambda::Function'));
    expect(functions.length).toBe(Object.keys(stack.functions).length);
    for (const [id, fn] of functions) {
      const variables =
        ((fn.Properties as Json).Environment as { Variables?: Json } | undefined)?.Variables ?? {};
      for (const [name, value] of Object.entries(variables)) {
        const where = `${id}.${name}`;
        if (secretLike.test(name)) {
          // Only a reference to the secret (its ARN), read by the handler at cold start.
          expect([where, value]).toEqual([where, { Ref: secret }]);
          expect(name).toMatch(/_ARN$/);
        }
        if (typeof value === 'string') {
          // No long random-looking literal (the key is 64 alphanumerics), nor an inline PEM key.
          expect([where, /^[A-Za-z0-9+/_=-]{32,}$/.test(value)]).toEqual([where, false]);
          expect([where, value.includes('PRIVATE KEY')]).toEqual([where, false]);
        }
      }
    }
  });
});

describe('story loading', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'story-digest-story-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  function writeStory(mutate: (json: Json) => void): string {
    const json = structuredClone(story) as unknown as Json;
    mutate(json);
    const file = join(dir, `story-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(file, JSON.stringify(json));
    return file;
  }

  it('names the bad field of a story file', () => {
    const file = writeStory((json) => {
      (json.digest as Json).sender = 'not-an-email';
    });
    expect(() => loadStory(file)).toThrow(/digest\.sender/);
    expect(() => loadAppConfig((key) => (key === 'story' ? file : undefined))).toThrow(
      /story file .*digest\.sender/,
    );
  });

  it('rejects a schedule that is not a cron expression', () => {
    const file = writeStory((json) => {
      (json.digest as Json).schedule = 'every monday';
    });
    expect(() => loadStory(file)).toThrow(/digest\.schedule/);
  });

  it('names a story file that does not exist', () => {
    expect(() => loadAppConfig(() => join(dir, 'missing.json'))).toThrow(/missing\.json/);
  });

  it('reads the default story, subscribers and SES identity from context', () => {
    const context: Json = { subscribers: ' ana@example.org, ben@example.org,ana@example.org' };
    const config = loadAppConfig((key) => context[key], REPOSITORY_ROOT);
    expect(config.storyFile).toBe(STORY_FILE);
    expect(config.story.id).toBe('s400-turkey');
    expect(config.subscribers).toEqual(SUBSCRIBERS);
    expect(config.sesIdentity).toBe('story-digest.example.com');
  });

  it('rejects bad subscribers and an identity that cannot send as the sender', () => {
    expect(parseSubscribers(undefined)).toEqual([]);
    expect(() => parseSubscribers('ana@example.org,bob')).toThrow(/bob/);
    expect(parseSesIdentity('example.com', 'digest@story-digest.example.com')).toBe('example.com');
    expect(() => parseSesIdentity('example.org', 'digest@story-digest.example.com')).toThrow(
      /sesIdentity/,
    );
    expect(() => parseSesIdentity('x@example.com', 'digest@example.com')).toThrow(/sesIdentity/);
  });
});

describe('bundling', () => {
  it('builds ESM bundles that carry the story file and the templates', () => {
    const app = new App();
    new StoryDigestStack(app, 'StoryDigest-bundled', {
      story,
      storyFile: STORY_FILE,
      subscribers: [],
      projectRoot: fixtureRoot,
    });
    const assembly = app.synth();
    const assetDirs = readdirSync(assembly.directory).filter((entry) => entry.startsWith('asset.'));
    expect(assetDirs).toHaveLength(HANDLERS.length);
    try {
      for (const assetDir of assetDirs) {
        const bundle = join(assembly.directory, assetDir);
        expect(readdirSync(bundle)).toEqual(
          expect.arrayContaining(['index.mjs', 'index.mjs.map', 'story.json', 'templates']),
        );
        expect(readFileSync(join(bundle, 'story.json'), 'utf8')).toBe(
          readFileSync(STORY_FILE, 'utf8'),
        );
        expect(existsSync(join(bundle, 'templates/digest.html.hbs'))).toBe(true);
        expect(readFileSync(join(bundle, 'index.mjs'), 'utf8')).toMatch(
          /^import \{ createRequire as /,
        );
      }
    } finally {
      rmSync(assembly.directory, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('the real repository', () => {
  it('synthesizes with the real handlers and the default story', () => {
    for (const name of HANDLERS) {
      expect(existsSync(join(REPOSITORY_ROOT, `lambdas/handlers/${name}.ts`))).toBe(true);
    }
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const config = loadAppConfig(() => undefined, REPOSITORY_ROOT);
    const real = new StoryDigestStack(app, `StoryDigest-${config.story.id}`, config);
    expect(Template.fromStack(real).toJSON().Resources).toBeDefined();
  });
});
