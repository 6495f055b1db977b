import { fileURLToPath } from 'node:url';
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, TimeZone } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { FunctionUrlAuthType, type IFunction } from 'aws-cdk-lib/aws-lambda';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  StorageClass,
  TransitionDefaultMinimumObjectSize,
} from 'aws-cdk-lib/aws-s3';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import {
  ConfigurationSet,
  EmailSendingEvent,
  EventDestination,
  SuppressionReasons,
} from 'aws-cdk-lib/aws-ses';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import * as cxapi from 'aws-cdk-lib/cx-api';
import type { Construct } from 'constructs';
import { TABLE_LAYOUT } from '../lambdas/adapters/table-layout.js';
import type { Story } from '../lambdas/core/model/story.js';
import { parseSesIdentity } from './app-config.js';
import {
  acknowledgeAccessLogDestination,
  acknowledgeUnrotatedSigningKey,
} from './nag-acknowledgments.js';
import { StoryAlarms } from './story-alarms.js';
import { StoryFunction } from './story-function.js';
import { TABLE_ACCESS } from './table-access.js';

/** The repository root: where `package-lock.json`, `lambdas/` and `templates/` live. */
const REPOSITORY_ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface StoryDigestStackProps extends StackProps {
  /** The validated story; its id names the resources, its digest settings drive the schedule. */
  readonly story: Story;
  /** Absolute path of the story file; it ships in every function bundle as `story.json`. */
  readonly storyFile: string;
  /** Addresses the weekly digest goes to. */
  readonly subscribers: readonly string[];
  /**
   * An SES identity (domain or address) that already exists and is verified in the deployment
   * account and region; the stack does not create it.
   *
   * @default - the domain of `story.digest.sender`
   */
  readonly sesIdentity?: string;
  /**
   * An address subscribed to the alarm topic (it confirms the subscription from the email SNS
   * sends); without it, subscribe to the `AlarmTopicArn` output yourself.
   */
  readonly alarmEmail?: string;
  /**
   * Directory holding `package-lock.json`, `lambdas/handlers/` and `templates/`.
   *
   * @default - the repository this file belongs to
   */
  readonly projectRoot?: string;
  /**
   * This story's share of the account's SES send rate (emails a second), when several stories
   * share one account; the senders never exceed the lower of it and SES's own MaxSendRate.
   *
   * @default - SES's MaxSendRate, read by the senders
   */
  readonly maxSendRate?: number;
}

/** Concurrent senders: more only wait on the shared send rate (14/s by default in SES). */
export const SENDER_CONCURRENCY = 5;

/**
 * Everything one story needs: the article archive (S3), the single table (DynamoDB), the fetch
 * queue and its DLQ (SQS), the functions, their schedules, the SES configuration set with its
 * bounce/complaint topic (SNS), the public web pages (a Function URL: unsubscribe, the digests'
 * web copies, the timeline) and the unsubscribe links' signing key.
 *
 * The sending identity is not part of the stack: the operator verifies it in SES (and leaves the
 * SES sandbox, or verifies each subscriber) before the first digest goes out.
 */
export class StoryDigestStack extends Stack {
  readonly functions: {
    readonly discover: IFunction;
    readonly fetch: IFunction;
    readonly digest: IFunction;
    readonly backfill: IFunction;
    readonly web: IFunction;
    readonly sesEvents: IFunction;
    readonly deliver: IFunction;
  };

  constructor(scope: Construct, id: string, props: StoryDigestStackProps) {
    super(scope, id, {
      description: `story-digest: ${props.story.title} (${props.story.id})`,
      ...props,
    });
    const { story } = props;
    const projectRoot = props.projectRoot ?? REPOSITORY_ROOT;
    const sesIdentity = parseSesIdentity(props.sesIdentity, story.digest.sender);

    // Server access logs of the archive: who read or wrote which key, for an incident review.
    // SSE-S3 (the only encryption S3 log delivery supports), kept 90 days. Log delivery is allowed
    // by a bucket policy for this archive only, not by the legacy LogDeliveryWrite ACL (the flag
    // is set here so that the stack does not depend on the app's cdk.json).
    this.node.setContext(cxapi.S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY, true);
    const accessLogs = new Bucket(this, 'ArchiveAccessLogs', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      lifecycleRules: [{ id: 'ExpireAccessLogs', expiration: Duration.days(90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledgeAccessLogDestination(accessLogs);

    const bucket = new Bucket(this, 'Archive', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'archive/',
      // Only objects of 128 KB and more move: below that, S3 would bill Standard-IA as 128 KB.
      transitionDefaultMinimumObjectSize:
        TransitionDefaultMinimumObjectSize.ALL_STORAGE_CLASSES_128_K,
      lifecycleRules: [
        {
          // Raw responses are read again only by a manual re-processing run (backfill).
          id: 'RawToInfrequentAccess',
          prefix: 'raw/',
          transitions: [
            { storageClass: StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(30) },
          ],
        },
        {
          // Versioning guards against a bad overwrite (a re-processing run rewrites articles/, each
          // digest run the timeline); a month to notice and restore, then old versions go.
          id: 'ExpireNoncurrentVersions',
          noncurrentVersionExpiration: Duration.days(30),
        },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const { timeIndex } = TABLE_LAYOUT;
    const table = new Table(this, 'Table', {
      partitionKey: { name: TABLE_LAYOUT.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE_LAYOUT.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: TABLE_LAYOUT.timeToLiveAttribute,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    table.addGlobalSecondaryIndex({
      indexName: timeIndex.name,
      partitionKey: { name: timeIndex.partitionKey, type: AttributeType.STRING },
      sortKey: { name: timeIndex.sortKey, type: AttributeType.STRING },
      projectionType: ProjectionType.ALL,
    });

    const fetchTimeout = Duration.minutes(2);
    const fetchDlq = new Queue(this, 'FetchDlq', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    const fetchQueue = new Queue(this, 'FetchQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // AWS's guidance for SQS event sources: at least six times the function timeout.
      visibilityTimeout: Duration.seconds(fetchTimeout.toSeconds() * 6),
      deadLetterQueue: { queue: fetchDlq, maxReceiveCount: 3 },
    });

    // Delivery: the digest run queues batches of readers; the senders take them one at a time.
    const senderTimeout = Duration.minutes(3);
    const deliveryDlq = new Queue(this, 'DeliveryDlq', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    const deliveryQueue = new Queue(this, 'DeliveryQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(senderTimeout.toSeconds() * 6),
      // Senders re-queue or set aside the readers they miss themselves; the redrive catches a
      // batch whose sender keeps dying (a crash, a timeout) before it could.
      deadLetterQueue: { queue: deliveryDlq, maxReceiveCount: 5 },
    });

    const configurationSet = new ConfigurationSet(this, 'Email', {
      configurationSetName: `story-digest-${story.id}`,
      reputationMetrics: true,
      // SES itself refuses addresses that bounced hard or complained, on top of our own list.
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    const sesEventsTopic = new Topic(this, 'SesEvents', {
      displayName: `story-digest ${story.id}: SES bounces and complaints`,
      enforceSSL: true,
    });
    configurationSet.addEventDestination('BouncesAndComplaints', {
      destination: EventDestination.snsTopic(sesEventsTopic),
      events: [EmailSendingEvent.BOUNCE, EmailSendingEvent.COMPLAINT],
    });

    // Signs readers' unsubscribe links. Kept on stack deletion: links in sent mail use it.
    const unsubscribeKey = new Secret(this, 'UnsubscribeKey', {
      description: `story-digest ${story.id}: HMAC key of the one-click unsubscribe links`,
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledgeUnrotatedSigningKey(unsubscribeKey);

    const common = { projectRoot, storyFile: props.storyFile };

    const discover = new StoryFunction(this, 'Discover', {
      ...common,
      entry: 'lambdas/handlers/discover.ts',
      description: `Discovers new articles for ${story.id} and queues them for fetching`,
      timeout: Duration.minutes(5),
      memorySize: 512,
    })
      .useTable(table, { storyId: story.id, owns: TABLE_ACCESS.discover })
      .sendsToFetchQueue(fetchQueue);

    const fetch = new StoryFunction(this, 'Fetch', {
      ...common,
      entry: 'lambdas/handlers/fetch.ts',
      description: `Fetches, cleans and extracts queued ${story.id} articles`,
      timeout: fetchTimeout,
      memorySize: 1024,
    })
      .useTable(table, { storyId: story.id, owns: TABLE_ACCESS.fetch })
      .useBucket(bucket, { write: ['raw/', 'articles/'] })
      .consumesFetchQueue(fetchQueue);

    const web = new StoryFunction(this, 'Web', {
      ...common,
      entry: 'lambdas/handlers/web.ts',
      description: `The public pages of the ${story.id} digest: sign-up, unsubscribe, web copies, timeline`,
      timeout: Duration.seconds(10),
      memorySize: 256,
    })
      .managesSubscribers(table, story.id)
      .limitsSignUps(table, story.id)
      .signsUnsubscribeLinks(unsubscribeKey)
      // Sign-up confirmation links only: at most one an hour per address, 20 requests an hour per
      // source network (lambdas/core/subscribers/sign-up.ts).
      .sendsEmail({ identity: sesIdentity, configurationSet })
      .useBucket(bucket, { read: ['digests/'] });
    // Public on purpose (RFC 8058: a mail client POSTs without credentials; readers open the web
    // copies from their mail, strangers the sign-up form); the bucket stays private. Only a link
    // signed with the key unsubscribes or confirms anyone, the form adds only pending addresses,
    // and only archived pages under digests/ can be read.
    const webUrl = web.function.addFunctionUrl({ authType: FunctionUrlAuthType.NONE });

    const sesEvents = new StoryFunction(this, 'SesEventsHandler', {
      ...common,
      entry: 'lambdas/handlers/ses-events.ts',
      description: `Suppresses ${story.id} subscribers that bounce hard or complain`,
      timeout: Duration.seconds(30),
      memorySize: 256,
    })
      .managesSubscribers(table, story.id)
      .consumesSesEvents(sesEventsTopic);

    const digest = new StoryFunction(this, 'Digest', {
      ...common,
      entry: 'lambdas/handlers/digest.ts',
      description: `Renders, archives and emails the weekly ${story.id} digest`,
      timeout: Duration.minutes(5),
      memorySize: 512,
    })
      .useTable(table, {
        storyId: story.id,
        owns: TABLE_ACCESS.digest,
        queriesIndexes: [timeIndex.name],
      })
      // The web copy under digests/, the readers' email under outgoing/ for the senders.
      .useBucket(bucket, { write: ['digests/', 'outgoing/'] })
      .useTemplates()
      // Previews only: the week itself goes out through the senders.
      .sendsEmail({ identity: sesIdentity, configurationSet, subscribers: props.subscribers })
      .sendsToDeliveryQueue(deliveryQueue)
      .linksToWebPages(webUrl);

    const deliver = new StoryFunction(this, 'Deliver', {
      ...common,
      entry: 'lambdas/handlers/deliver.ts',
      description: `Sends the weekly ${story.id} digest to one batch of readers`,
      timeout: senderTimeout,
      memorySize: 256,
    })
      .useTable(table, { storyId: story.id, owns: TABLE_ACCESS.deliver })
      .useBucket(bucket, { read: ['outgoing/'] })
      .sendsEmail({ identity: sesIdentity, configurationSet })
      .readsSendQuota(props.maxSendRate)
      .signsUnsubscribeLinks(unsubscribeKey)
      .linksToWebPages(webUrl)
      .sendsToDeliveryQueue(deliveryQueue, deliveryDlq)
      .consumesDeliveryQueue(deliveryQueue, SENDER_CONCURRENCY);

    const backfill = new StoryFunction(this, 'Backfill', {
      ...common,
      entry: 'lambdas/handlers/backfill.ts',
      description: `Backfills or re-processes ${story.id} history (invoked by hand)`,
      timeout: Duration.minutes(15),
      memorySize: 1024,
    })
      .useTable(table, { storyId: story.id, owns: TABLE_ACCESS.backfill })
      // Re-processing lists and reads raw responses, rewrites the clean articles and removes
      // those of articles now judged off the story.
      .useBucket(bucket, {
        list: ['raw/'],
        read: ['raw/'],
        write: ['articles/'],
        delete: ['articles/'],
      })
      .sendsToFetchQueue(fetchQueue)
      // {"dlq": "list" | "replay"}: what failed every retry, with why, back to the fetch queue.
      .readsDeadLetters(fetchDlq);

    new Schedule(this, 'DiscoverSchedule', {
      description: `Hourly discovery for ${story.id}`,
      schedule: ScheduleExpression.rate(Duration.hours(1)),
      // A run that cannot start within the hour is superseded by the next one.
      target: discover.scheduleTarget({ retryAttempts: 3, maxEventAge: Duration.hours(1) }),
    });
    new Schedule(this, 'DigestSchedule', {
      description: `Weekly digest for ${story.id}`,
      schedule: ScheduleExpression.expression(story.digest.schedule, TimeZone.of(story.timeZone)),
      target: digest.scheduleTarget({ retryAttempts: 5, maxEventAge: Duration.hours(6) }),
    });

    this.functions = {
      discover: discover.function,
      fetch: fetch.function,
      digest: digest.function,
      backfill: backfill.function,
      web: web.function,
      sesEvents: sesEvents.function,
      deliver: deliver.function,
    };
    const alarms = new StoryAlarms(this, 'Alarms', {
      story,
      functions: this.functions,
      fetchDlq,
      deliveryQueue,
      deliveryDlq,
      alarmEmail: props.alarmEmail,
    });

    new CfnOutput(this, 'BucketName', { value: bucket.bucketName });
    new CfnOutput(this, 'TableName', { value: table.tableName });
    new CfnOutput(this, 'FetchQueueUrl', { value: fetchQueue.queueUrl });
    new CfnOutput(this, 'FetchDlqUrl', { value: fetchDlq.queueUrl });
    new CfnOutput(this, 'DeliveryQueueUrl', { value: deliveryQueue.queueUrl });
    new CfnOutput(this, 'DeliveryDlqUrl', { value: deliveryDlq.queueUrl });
    new CfnOutput(this, 'WebUrl', {
      value: webUrl.url,
      description: 'The web function: unsubscribe pages, digests/<story>/<week>, timeline/<story>',
    });
    new CfnOutput(this, 'SesEventsTopicArn', { value: sesEventsTopic.topicArn });
    new CfnOutput(this, 'AlarmTopicArn', {
      value: alarms.topic.topicArn,
      description:
        'Every alarm notifies this topic: subscribe to it (or deploy with -c alarmEmail=…)',
    });
    new CfnOutput(this, 'ConfigurationSetName', {
      value: configurationSet.configurationSetName,
    });
    new CfnOutput(this, 'SesIdentity', {
      value: sesIdentity,
      description: 'Must already be verified in SES in this account and region',
    });
    for (const [name, fn] of Object.entries(this.functions)) {
      new CfnOutput(this, `${name[0]?.toUpperCase()}${name.slice(1)}FunctionName`, {
        value: fn.functionName,
      });
    }
  }
}
