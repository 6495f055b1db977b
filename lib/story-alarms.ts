import { Duration } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  type IMetric,
  MathExpression,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  METRIC,
  METRICS_NAMESPACE,
  type MetricName,
  SOURCE_DIMENSION,
  STORY_DIMENSION,
} from '../lambdas/core/model/metric-names.js';
import type { Story } from '../lambdas/core/model/story.js';

/** SES puts an account under review at a 5 % bounce rate (probation at 10 %). */
export const SES_BOUNCE_RATE_THRESHOLD = 0.05;
/** SES puts an account under review at a 0.1 % complaint rate (probation at 0.5 %). */
export const SES_COMPLAINT_RATE_THRESHOLD = 0.001;
/** Consecutive failed discovery runs (hourly) of one source before the operator hears of it. */
export const SOURCE_FAILURE_STREAK_THRESHOLD = 3;

export interface StoryAlarmsProps {
  readonly story: Story;
  /** The story's functions by name; each gets an errors alarm named after it. */
  readonly functions: Readonly<Record<string, IFunction>>;
  /** Where fetch messages go after their last failed receive. */
  readonly fetchDlq: IQueue;
  /** Batches of readers for the senders, and where those not reached are set aside. */
  readonly deliveryQueue: IQueue;
  readonly deliveryDlq: IQueue;
  /** An address subscribed to the alarm topic (it must confirm the subscription by email). */
  readonly alarmEmail?: string;
}

/**
 * The operator's alarms, all notifying one SNS topic (TLS only) on ALARM and on OK:
 *
 * - the fetch DLQ holds messages (URLs that failed every retry);
 * - a function failed (per function);
 * - SES refused a digest email (the digest run fails and is retried; this says why);
 * - no new on-story article for `story.alarms.noNewArticleDays` days;
 * - a source failed `SOURCE_FAILURE_STREAK_THRESHOLD` discovery runs in a row (per source);
 * - the account's SES bounce or complaint rate nears the level at which SES reviews it.
 */
export class StoryAlarms extends Construct {
  readonly topic: Topic;
  readonly alarms: readonly Alarm[];

  constructor(scope: Construct, id: string, props: StoryAlarmsProps) {
    super(scope, id);
    const { story } = props;
    this.topic = new Topic(this, 'Topic', {
      displayName: `story-digest ${story.id}: alarms`,
      enforceSSL: true,
    });
    if (props.alarmEmail) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));

    const alarms: Alarm[] = [];
    const alarm = (
      name: string,
      metric: IMetric,
      options: {
        readonly threshold: number;
        readonly comparisonOperator: ComparisonOperator;
        readonly evaluationPeriods?: number;
        readonly datapointsToAlarm?: number;
        readonly treatMissingData?: TreatMissingData;
        readonly description: string;
      },
    ): void => {
      const created = new Alarm(this, name, {
        alarmName: `story-digest-${story.id}-${kebab(name)}`,
        metric,
        threshold: options.threshold,
        comparisonOperator: options.comparisonOperator,
        evaluationPeriods: options.evaluationPeriods ?? 1,
        datapointsToAlarm: options.datapointsToAlarm ?? 1,
        // Silence is health for every alarm but the one about silence itself.
        treatMissingData: options.treatMissingData ?? TreatMissingData.NOT_BREACHING,
        alarmDescription: options.description,
      });
      created.addAlarmAction(new SnsAction(this.topic));
      created.addOkAction(new SnsAction(this.topic));
      alarms.push(created);
    };

    // SQS publishes queue metrics every minute; 5 minutes is prompt enough for URLs that already
    // failed three receives, and one alarm covers however many arrive.
    alarm(
      'FetchDlqNotEmpty',
      props.fetchDlq.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: 'Maximum',
      }),
      {
        threshold: 0,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        description:
          'Fetch messages failed every retry and wait in the DLQ: read the fetch function logs ' +
          '("article fetch failed", by url), then redrive or purge the DLQ.',
      },
    );

    // Handlers catch what they expect (a failing source, a failing URL is a batch item failure),
    // so any function error is unexpected. 5 minutes: one email per burst, not per minute;
    // discover and digest run hourly or weekly, so a longer period would add nothing.
    for (const [name, fn] of Object.entries(props.functions)) {
      alarm(
        `${pascal(name)}Errors`,
        fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
        {
          threshold: 0,
          comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
          description: `The ${name} function failed: read its log group for the error.`,
        },
      );
    }

    // Failed deliveries: readers set aside after every attempt (the metric names the count, the
    // DLQ holds them with their reasons, and also batches whose sender kept dying).
    alarm('DigestsFailed', storyMetric(story, METRIC.digestsFailed, Duration.minutes(5)), {
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      description:
        'Digest readers were set aside after every attempt: the deliver logs ("digest readers ' +
        'set aside in the delivery DLQ") and the delivery DLQ give each reader and the reason.',
    });
    alarm(
      'DeliveryDlqNotEmpty',
      props.deliveryDlq.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: 'Maximum',
      }),
      {
        threshold: 0,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        description:
          'Batches of digest readers wait in the delivery DLQ (each message lists its readers ' +
          'and, when a sender set them aside, why): fix the cause, then send them back to the ' +
          'delivery queue.',
      },
    );
    // Stuck: a batch still queued an hour after it could first be taken. The senders re-queue
    // unreached readers with at most 15 minutes' delay, so an hour means nothing is draining
    // (senders failing at cold start, SES paused, the event source disabled).
    alarm(
      'DeliveriesStuck',
      props.deliveryQueue.metricApproximateAgeOfOldestMessage({
        period: Duration.minutes(5),
        statistic: 'Maximum',
      }),
      {
        threshold: 3_600,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        description:
          'A batch of digest readers has waited over an hour on the delivery queue: read the ' +
          "deliver function logs; the week's counters (digest result: pending) say how many wait.",
      },
    );

    // Daily sums, FILL'd with 0: a day without a stored article breaches; no data at all in the
    // window (nothing ever stored, or the metric gone) breaches too, through treatMissingData.
    const days = story.alarms.noNewArticleDays;
    alarm(
      'NoNewArticles',
      new MathExpression({
        expression: 'FILL(stored, 0)',
        usingMetrics: { stored: storyMetric(story, METRIC.articlesStored, Duration.days(1)) },
        period: Duration.days(1),
        label: 'On-story articles stored per day',
      }),
      {
        threshold: 1,
        comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: days,
        datapointsToAlarm: days,
        treatMissingData: TreatMissingData.BREACHING,
        description:
          `No new on-story article stored for ${days} days (story file: alarms.noNewArticleDays). ` +
          'Check the sources (the SourceFailing alarms, the digest coverage report) and the ' +
          'ArticlesNotStored metric by reason.',
      },
    );

    // Discover runs hourly and records a failing source's streak (from its stored health). Two
    // hourly periods with one breaching: a late or skipped run does not flip the alarm to OK.
    for (const source of story.sources) {
      alarm(
        `SourceFailing${pascal(source.id)}`,
        storyMetric(story, METRIC.sourceFailureStreak, Duration.hours(1), 'Maximum', {
          [SOURCE_DIMENSION]: source.id,
        }),
        {
          threshold: SOURCE_FAILURE_STREAK_THRESHOLD,
          comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          evaluationPeriods: 2,
          datapointsToAlarm: 1,
          description:
            `Source ${source.id} failed ${SOURCE_FAILURE_STREAK_THRESHOLD}+ discovery runs in a row: ` +
            'the discover logs ("source failed", by sourceId) give the reason.',
        },
      );
    }

    // Account-wide rates that SES computes over a representative volume of recent mail (they are
    // not per configuration set here); hourly maxima are enough for a weekly sender.
    alarm('SesBounceRate', sesReputation('Reputation.BounceRate'), {
      threshold: SES_BOUNCE_RATE_THRESHOLD,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      description:
        'The SES account bounce rate reached 5 % (SES reviews the account there, probation at 10 %). ' +
        'Hard bounces are suppressed automatically; look for a bad seed list or imported addresses.',
    });
    alarm('SesComplaintRate', sesReputation('Reputation.ComplaintRate'), {
      threshold: SES_COMPLAINT_RATE_THRESHOLD,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      description:
        'The SES account complaint rate reached 0.1 % (SES reviews the account there). ' +
        'Complainers are suppressed automatically; check who was subscribed without asking.',
    });
    this.alarms = alarms;
  }
}

/** One of the story's own metrics (namespace StoryDigest, dimension story). */
function storyMetric(
  story: Story,
  name: MetricName,
  period: Duration,
  statistic = 'Sum',
  dimensions: Record<string, string> = {},
): Metric {
  return new Metric({
    namespace: METRICS_NAMESPACE,
    metricName: name,
    dimensionsMap: { [STORY_DIMENSION]: story.id, ...dimensions },
    period,
    statistic,
  });
}

function sesReputation(metricName: string): Metric {
  return new Metric({
    namespace: 'AWS/SES',
    metricName,
    period: Duration.hours(1),
    statistic: 'Maximum',
  });
}

/** `ses-events` / `sesEvents` → `SesEvents`. */
function pascal(name: string): string {
  return name.replace(/(^|-)([a-z0-9])/g, (_match, _dash, letter: string) => letter.toUpperCase());
}

/** `FetchDlqNotEmpty` → `fetch-dlq-not-empty`. */
function kebab(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}
