import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { isAbsolute, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Duration, Stack, Stage } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, type FunctionUrl, Runtime } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IConfigurationSet } from 'aws-cdk-lib/aws-ses';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  type ItemKind,
  partitionPatterns,
  signUpSourcesPartition,
  subscribersPartition,
} from '../lambdas/adapters/table-layout.js';
import { writeEmailTemplates } from './email-templates.js';
import {
  type ArchivePrefix,
  acknowledgeObjectPrefix,
  acknowledgeSendQuotaRead,
} from './nag-acknowledgments.js';

/** Where the bundle puts the story file and the templates; `/var/task` is the Lambda code root. */
const TASK_ROOT = '/var/task';

/** Aliased so it cannot clash with a `createRequire` import inside the bundle. */
const ESM_REQUIRE_SHIM =
  "import { createRequire as __storyDigestCreateRequire } from 'node:module'; " +
  'const require = __storyDigestCreateRequire(import.meta.url);';

/**
 * Modules swapped at bundling for what a Lambda needs of them (esbuild aliases), so that every
 * bundle stays under 1 MB:
 *
 * - the SDK's default credential chain for the environment-variable provider alone (see
 *   lambdas/adapters/lambda-credentials.ts);
 * - `entities` for the copy htmlparser2 uses: cheerio's serialiser asks for an older major
 *   version of the same HTML entity tables, whose escape functions are the same, and would
 *   otherwise ship them twice (about 90 KB).
 */
const LEAN_ALIASES = {
  '--alias:@aws-sdk/credential-provider-node': fileURLToPath(
    new URL('../lambdas/adapters/lambda-credentials.ts', import.meta.url),
  ),
  '--alias:entities': packageDirectory(
    'entities',
    createRequire(import.meta.url).resolve('htmlparser2'),
  ),
};

/** The directory of `name` as the module at `from` resolves it. */
function packageDirectory(name: string, from: string): string {
  const entry = createRequire(from).resolve(name);
  const marker = `${sep}node_modules${sep}${name}${sep}`;
  return entry.slice(0, entry.lastIndexOf(marker) + marker.length - 1);
}

/**
 * What a function may do with the archive bucket, per key prefix. Nothing grants deleting objects
 * (the bucket is versioned) or reading outside the named prefixes.
 */
export interface BucketAccess {
  /** `s3:GetObject` on objects under each prefix. */
  readonly read?: readonly ArchivePrefix[];
  /** `s3:ListBucket`, only for listings of keys under each prefix (`s3:prefix` condition). */
  readonly list?: readonly ArchivePrefix[];
  /** `s3:PutObject` on objects under each prefix. */
  readonly write?: readonly ArchivePrefix[];
  /** `s3:DeleteObject` on objects under each prefix. */
  readonly delete?: readonly ArchivePrefix[];
}

/**
 * The item-level DynamoDB calls the handlers make through `lambdas/adapters/dynamo-*.ts`: no
 * `Scan`, no transactions, no table management, no streams.
 */
export const TABLE_DATA_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:Query',
] as const;

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
 * One of the story's Lambda functions: Node.js 24 on arm64, an ESM bundle built by the local
 * esbuild (AWS SDK included, so the tested version ships) with the story file and `templates/`
 * copied in, and a log group kept for a month.
 *
 * Its execution role starts empty (no AWS managed policy): it may write to its own log group and
 * nothing else until a method below grants more. Every resource a handler uses is wired through
 * one `use…` method that sets the environment variable and the matching IAM grant together, so
 * neither can exist without the other.
 */
export class StoryFunction extends Construct {
  readonly function: NodejsFunction;
  /** The execution role: its own log group's streams, then what the `use…` methods grant. */
  readonly role: Role;

  constructor(scope: Construct, id: string, props: StoryFunctionProps) {
    super(scope, id);

    const logGroup = new LogGroup(this, 'Logs', { retention: RetentionDays.ONE_MONTH });
    // Instead of AWSLambdaBasicExecutionRole (logs:CreateLogGroup, CreateLogStream and
    // PutLogEvents on every log group of the account): streams of this function's group only.
    this.role = new Role(this, 'ServiceRole', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: props.description,
    });
    logGroup.grantWrite(this.role);
    this.function = new NodejsFunction(this, 'Function', {
      role: this.role,
      entry: join(props.projectRoot, props.entry),
      handler: 'handler',
      projectRoot: props.projectRoot,
      depsLockFilePath: join(props.projectRoot, 'package-lock.json'),
      description: props.description,
      runtime: Runtime.NODEJS_24_X,
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
        target: 'node24',
        mainFields: ['module', 'main'],
        banner: ESM_REQUIRE_SHIM,
        minify: true,
        // Stack traces name the source lines; the sources themselves stay out of the bundle.
        sourceMap: true,
        sourcesContent: false,
        externalModules: [],
        esbuildArgs: {
          // Non-ASCII text (language cues, trigram tables, look-alike letters) as UTF-8, not
          // \uXXXX (this CDK version drops the `charset` option, so it goes as an argument).
          '--charset': 'utf8',
          ...LEAN_ALIASES,
        },
        commandHooks: shipStoryAndTemplates(
          props.projectRoot,
          props.storyFile,
          builtTemplates(this, props.projectRoot),
        ),
      },
    });
  }

  /**
   * `TABLE_NAME`; the item-level calls of {@link TABLE_DATA_ACTIONS} on the items of the kinds
   * it `owns` only (IAM `dynamodb:LeadingKeys` on their partition keys, from table-layout.ts),
   * and `Query` on each of `queriesIndexes` (by name: no `index/*` wildcard). The index holds
   * a story's developments and coverage marks only (no other item carries its key): what the
   * digest reads, so its grant needs no key condition.
   */
  useTable(
    table: ITable,
    options: {
      readonly storyId: string;
      readonly owns: readonly ItemKind[];
      readonly queriesIndexes?: readonly string[];
    },
  ): this {
    this.function.addEnvironment('TABLE_NAME', table.tableName);
    const partitions = partitionPatterns(options.storyId);
    this.function.addToRolePolicy(
      new PolicyStatement({
        actions: [...TABLE_DATA_ACTIONS],
        resources: [table.tableArn],
        conditions: {
          'ForAllValues:StringLike': {
            'dynamodb:LeadingKeys': options.owns.map((kind) => partitions[kind]),
          },
        },
      }),
    );
    const indexes = options.queriesIndexes ?? [];
    if (indexes.length > 0) {
      this.function.addToRolePolicy(
        new PolicyStatement({
          actions: ['dynamodb:Query'],
          resources: indexes.map((name) => `${table.tableArn}/index/${name}`),
        }),
      );
    }
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

  /**
   * `TABLE_NAME`; only counting the story's sign-up requests per source (`UpdateItem` on the
   * items of its sign-up partition, IAM `dynamodb:LeadingKeys`): the public sign-up form's limit.
   */
  limitsSignUps(table: ITable, storyId: string): this {
    this.function.addEnvironment('TABLE_NAME', table.tableName);
    this.function.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:UpdateItem'],
        resources: [table.tableArn],
        conditions: {
          'ForAllValues:StringEquals': {
            'dynamodb:LeadingKeys': [signUpSourcesPartition(storyId)],
          },
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

  /**
   * `BUCKET_NAME`; `s3:GetObject` / `s3:PutObject` / `s3:DeleteObject` on objects under the named prefixes only, and
   * `s3:ListBucket` restricted to listings of the `list` prefixes. Each `<prefix>*` resource is
   * acknowledged for cdk-nag here, with the grant (see `nag-acknowledgments.ts`).
   */
  useBucket(bucket: IBucket, access: BucketAccess): this {
    this.function.addEnvironment('BUCKET_NAME', bucket.bucketName);
    const grantObjects = (action: string, prefixes: readonly ArchivePrefix[] = []) => {
      if (prefixes.length === 0) return;
      this.function.addToRolePolicy(
        new PolicyStatement({
          actions: [action],
          resources: prefixes.map((prefix) => bucket.arnForObjects(`${prefix}*`)),
        }),
      );
      for (const prefix of prefixes) acknowledgeObjectPrefix(this, bucket, prefix);
    };
    grantObjects('s3:GetObject', access.read);
    grantObjects('s3:PutObject', access.write);
    grantObjects('s3:DeleteObject', access.delete);
    if (access.list?.length) {
      this.function.addToRolePolicy(
        new PolicyStatement({
          actions: ['s3:ListBucket'],
          resources: [bucket.bucketArn],
          conditions: { StringLike: { 's3:prefix': access.list.map((prefix) => `${prefix}*`) } },
        }),
      );
    }
    return this;
  }

  /** `FETCH_QUEUE_URL`; send messages to the fetch queue. */
  sendsToFetchQueue(queue: IQueue): this {
    this.function.addEnvironment('FETCH_QUEUE_URL', queue.queueUrl);
    queue.grantSendMessages(this.function);
    return this;
  }

  /**
   * `FETCH_DLQ_URL`; receives, re-hides and deletes the DLQ's messages (listing them makes them
   * visible again; replaying sends each to the fetch queue, which `sendsToFetchQueue` grants,
   * then deletes it from the DLQ).
   */
  readsDeadLetters(dlq: IQueue): this {
    this.function.addEnvironment('FETCH_DLQ_URL', dlq.queueUrl);
    dlq.grantConsumeMessages(this.function);
    return this;
  }

  /**
   * `DELIVERY_QUEUE_URL` (and `DELIVERY_DLQ_URL` when given); send messages to them: the digest
   * run queues batches of readers, a sender re-queues those it did not reach or sets them aside.
   */
  sendsToDeliveryQueue(queue: IQueue, dlq?: IQueue): this {
    this.function.addEnvironment('DELIVERY_QUEUE_URL', queue.queueUrl);
    queue.grantSendMessages(this.function);
    if (dlq) {
      this.function.addEnvironment('DELIVERY_DLQ_URL', dlq.queueUrl);
      dlq.grantSendMessages(this.function);
    }
    return this;
  }

  /**
   * Consumes the delivery queue: one batch of readers per invocation (they share its time and
   * the send rate), partial failures reported, at most `maxConcurrency` senders at once.
   */
  consumesDeliveryQueue(queue: IQueue, maxConcurrency: number): this {
    this.function.addEventSource(
      new SqsEventSource(queue, { batchSize: 1, reportBatchItemFailures: true, maxConcurrency }),
    );
    return this;
  }

  /**
   * `ses:GetAccount` (the send quota, read at cold start; the action has no resource-level
   * permission, so `*`) and, with `maxSendRate`, `MAX_SEND_RATE`: this story's share of it.
   */
  readsSendQuota(maxSendRate?: number): this {
    if (maxSendRate !== undefined) {
      this.function.addEnvironment('MAX_SEND_RATE', String(maxSendRate));
    }
    this.function.addToRolePolicy(
      new PolicyStatement({ actions: ['ses:GetAccount'], resources: ['*'] }),
    );
    acknowledgeSendQuotaRead(this);
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

  /**
   * An EventBridge Scheduler target that invokes this function, with a role of its own that may
   * invoke exactly this function's unqualified ARN (CDK's default grant also covers every version
   * and alias, `<arn>:*`), and only be assumed by Scheduler for this account's default group.
   */
  scheduleTarget(options: { readonly retryAttempts: number; readonly maxEventAge: Duration }) {
    const stack = Stack.of(this);
    const role = new Role(this, 'SchedulerRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: {
            'aws:SourceAccount': stack.account,
            'aws:SourceArn': stack.formatArn({
              service: 'scheduler',
              resource: 'schedule-group',
              resourceName: 'default',
            }),
          },
        },
      }),
      description: `EventBridge Scheduler: invokes ${this.node.path}`,
    });
    this.function.grantInvokeLatestVersion(role);
    // Immutable for the target, so LambdaInvoke's own (wider) grantInvoke adds nothing.
    const invoker: IRole = role.withoutPolicyUpdates();
    return new LambdaInvoke(this.function, { ...options, role: invoker });
  }

  /** `TEMPLATES_DIR`: the digest templates shipped in the bundle (no grant needed). */
  useTemplates(): this {
    this.function.addEnvironment('TEMPLATES_DIR', `${TASK_ROOT}/templates`);
    return this;
  }

  /**
   * `SES_CONFIGURATION_SET`, and `SUBSCRIBERS` when given (comma-joined: the digest's seed,
   * ensured as subscribers on every run); `ses:SendEmail` on exactly the sending identity and
   * the configuration set.
   */
  sendsEmail(options: {
    readonly identity: string;
    readonly configurationSet: IConfigurationSet;
    readonly subscribers?: readonly string[];
  }): this {
    const stack = Stack.of(this);
    const { configurationSetName } = options.configurationSet;
    if (options.subscribers) {
      this.function.addEnvironment('SUBSCRIBERS', options.subscribers.join(','));
    }
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

/**
 * `templates/` as the bundle ships it, built at synthesis into the assembly's directory:
 * the email template's CSS inlined (lib/email-templates.ts), so no function inlines it at run time.
 */
function builtTemplates(scope: Construct, projectRoot: string): string {
  const outdir = Stage.of(scope)?.outdir ?? projectRoot;
  const key = createHash('sha256').update(projectRoot).digest('hex').slice(0, 12);
  // Every function of the project writes the same files; the last write is the one bundled.
  return writeEmailTemplates(
    join(projectRoot, 'templates'),
    join(outdir, `email-templates.${key}`),
  );
}

/** Copies the story file to `story.json` and the built templates to `templates/` in the bundle. */
function shipStoryAndTemplates(projectRoot: string, storyFile: string, templatesDir: string) {
  const storyInRoot = relative(projectRoot, storyFile);
  const storyIsInRoot = !storyInRoot.startsWith('..') && !isAbsolute(storyInRoot);
  return {
    beforeBundling: (): string[] => [],
    beforeInstall: (): string[] => [],
    afterBundling: (inputDir: string, outputDir: string): string[] => [
      // A story file outside the project can only be reached by local (non-Docker) bundling.
      `cp ${sh(storyIsInRoot ? join(inputDir, storyInRoot) : storyFile)} ${sh(join(outputDir, 'story.json'))}`,
      `cp -R ${sh(templatesDir)} ${sh(join(outputDir, 'templates'))}`,
    ],
  };
}

/** Single-quotes a path for the POSIX shell that runs the command hooks. */
function sh(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}
