import { isAbsolute, join, relative } from 'node:path';
import { type Duration, Stack } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Architecture, type FunctionUrl, Runtime } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IConfigurationSet } from 'aws-cdk-lib/aws-ses';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { subscribersPartition } from '../lambdas/adapters/table-layout.js';

/** Where the bundle puts the story file and the templates; `/var/task` is the Lambda code root. */
const TASK_ROOT = '/var/task';

/** Aliased so it cannot clash with a `createRequire` import inside the bundle. */
const ESM_REQUIRE_SHIM =
  "import { createRequire as __storyDigestCreateRequire } from 'node:module'; " +
  'const require = __storyDigestCreateRequire(import.meta.url);';

/** What a function may do with the bucket. No function may delete objects (the bucket is versioned). */
export type BucketAccess = 'read' | 'write' | 'readWrite';

export interface StoryFunctionProps {
  /** Handler module, relative to `projectRoot`; it exports `handler`. */
  readonly entry: string;
  readonly description: string;
  readonly timeout: Duration;
  readonly memorySize: number;
  /** Directory holding `package-lock.json`, `lambdas/` and `templates/`. */
  readonly projectRoot: string;
  /** Absolute path of the story file; shipped in the bundle as `story.json`. */
  readonly storyFile: string;
}

/**
 * One of the story's Lambda functions: Node.js 22 on arm64, an ESM bundle built by the local
 * esbuild (AWS SDK included, so the tested version ships) with the story file and `templates/`
 * copied in, and a log group kept for a month.
 *
 * Every resource a handler uses is wired through one `use…` method that sets the environment
 * variable and the matching IAM grant together, so neither can exist without the other.
 */
export class StoryFunction extends Construct {
  readonly function: NodejsFunction;

  constructor(scope: Construct, id: string, props: StoryFunctionProps) {
    super(scope, id);

    const logGroup = new LogGroup(this, 'Logs', { retention: RetentionDays.ONE_MONTH });
    this.function = new NodejsFunction(this, 'Function', {
      entry: join(props.projectRoot, props.entry),
      handler: 'handler',
      projectRoot: props.projectRoot,
      depsLockFilePath: join(props.projectRoot, 'package-lock.json'),
      description: props.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      timeout: props.timeout,
      memorySize: props.memorySize,
      logGroup,
      environment: {
        POWERTOOLS_SERVICE_NAME: 'story-digest',
        NODE_OPTIONS: '--enable-source-maps',
        STORY_PATH: `${TASK_ROOT}/story.json`,
      },
      bundling: {
        forceDockerBundling: false,
        format: OutputFormat.ESM,
        target: 'node22',
        mainFields: ['module', 'main'],
        banner: ESM_REQUIRE_SHIM,
        minify: true,
        sourceMap: true,
        externalModules: [],
        commandHooks: shipStoryAndTemplates(props.projectRoot, props.storyFile),
      },
    });
  }

  /** `TABLE_NAME`; read/write on the table and its indexes. */
  useTable(table: ITable): this {
    this.function.addEnvironment('TABLE_NAME', table.tableName);
    table.grantReadWriteData(this.function);
    return this;
  }

  /**
   * `TABLE_NAME`; only reading and updating the story's subscriber items (IAM
   * `dynamodb:LeadingKeys`): for the public unsubscribe pages and the SES event handler.
   */
  managesSubscribers(table: ITable, storyId: string): this {
    this.function.addEnvironment('TABLE_NAME', table.tableName);
    this.function.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
        resources: [table.tableArn],
        conditions: {
          'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [subscribersPartition(storyId)] },
        },
      }),
    );
    return this;
  }

  /** `UNSUBSCRIBE_SECRET_ARN`: reads the key that signs unsubscribe links (at cold start). */
  signsUnsubscribeLinks(secret: ISecret): this {
    this.function.addEnvironment('UNSUBSCRIBE_SECRET_ARN', secret.secretArn);
    secret.grantRead(this.function);
    return this;
  }

  /**
   * `WEB_BASE_URL`: the web function's URL, where readers' links lead (unsubscribe pages, the
   * digests' web copies, the timeline); no grant needed.
   */
  linksToWebPages(url: FunctionUrl): this {
    this.function.addEnvironment('WEB_BASE_URL', url.url);
    return this;
  }

  /** Invoked with each SES notification published to the topic (SNS grants the invoke). */
  consumesSesEvents(topic: ITopic): this {
    topic.addSubscription(new LambdaSubscription(this.function));
    return this;
  }

  /** `BUCKET_NAME`; `read` = get/list, `write` = put only, `readWrite` = both. */
  useBucket(bucket: IBucket, access: BucketAccess): this {
    this.function.addEnvironment('BUCKET_NAME', bucket.bucketName);
    if (access !== 'write') bucket.grantRead(this.function);
    if (access !== 'read') bucket.grantPut(this.function);
    return this;
  }

  /**
   * `BUCKET_NAME`; only `s3:GetObject` on `digests/*` (the digests' web copies and the timeline),
   * for the public web pages: nothing else of the archive, not even its listing.
   */
  readsArchivedPages(bucket: IBucket): this {
    this.function.addEnvironment('BUCKET_NAME', bucket.bucketName);
    this.function.addToRolePolicy(
      new PolicyStatement({
        actions: ['s3:GetObject'],
        resources: [bucket.arnForObjects('digests/*')],
      }),
    );
    return this;
  }

  /** `FETCH_QUEUE_URL`; send messages to the fetch queue. */
  sendsToFetchQueue(queue: IQueue): this {
    this.function.addEnvironment('FETCH_QUEUE_URL', queue.queueUrl);
    queue.grantSendMessages(this.function);
    return this;
  }

  /**
   * Consumes the fetch queue (the event source mapping grants receive/delete): small batches,
   * partial batch failures reported, at most five concurrent invocations.
   */
  consumesFetchQueue(queue: IQueue): this {
    this.function.addEventSource(
      new SqsEventSource(queue, {
        batchSize: 5,
        reportBatchItemFailures: true,
        maxConcurrency: 5,
      }),
    );
    return this;
  }

  /** `TEMPLATES_DIR`: the digest templates shipped in the bundle (no grant needed). */
  useTemplates(): this {
    this.function.addEnvironment('TEMPLATES_DIR', `${TASK_ROOT}/templates`);
    return this;
  }

  /**
   * `SUBSCRIBERS` (comma-joined: the seed, ensured as subscribers on every run) and
   * `SES_CONFIGURATION_SET`; `ses:SendEmail` on exactly the
   * sending identity and the configuration set.
   */
  sendsEmail(options: {
    readonly identity: string;
    readonly configurationSet: IConfigurationSet;
    readonly subscribers: readonly string[];
  }): this {
    const stack = Stack.of(this);
    const { configurationSetName } = options.configurationSet;
    this.function.addEnvironment('SUBSCRIBERS', options.subscribers.join(','));
    this.function.addEnvironment('SES_CONFIGURATION_SET', configurationSetName);
    this.function.addToRolePolicy(
      new PolicyStatement({
        actions: ['ses:SendEmail'],
        resources: [
          stack.formatArn({ service: 'ses', resource: 'identity', resourceName: options.identity }),
          stack.formatArn({
            service: 'ses',
            resource: 'configuration-set',
            resourceName: configurationSetName,
          }),
        ],
      }),
    );
    return this;
  }
}

/** Copies the story file to `story.json` and `templates/` to `templates/` in the bundle. */
function shipStoryAndTemplates(projectRoot: string, storyFile: string) {
  const storyInRoot = relative(projectRoot, storyFile);
  const storyIsInRoot = !storyInRoot.startsWith('..') && !isAbsolute(storyInRoot);
  return {
    beforeBundling: (): string[] => [],
    beforeInstall: (): string[] => [],
    afterBundling: (inputDir: string, outputDir: string): string[] => [
      // A story file outside the project can only be reached by local (non-Docker) bundling.
      `cp ${sh(storyIsInRoot ? join(inputDir, storyInRoot) : storyFile)} ${sh(join(outputDir, 'story.json'))}`,
      `cp -R ${sh(join(inputDir, 'templates'))} ${sh(join(outputDir, 'templates'))}`,
    ],
  };
}

/** Single-quotes a path for the POSIX shell that runs the command hooks. */
function sh(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}
