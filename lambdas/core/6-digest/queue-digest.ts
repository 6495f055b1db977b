import { digestWebUrl, subscribeWebUrl, timelineWebUrl } from '../7-web/web-routes.js';
import { METRIC } from '../model/metric-names.js';
import type { Story } from '../model/story.js';
import {
  DELIVERY_BATCH_SIZE,
  type DeliveryBatch,
  type DeliveryQueue,
} from '../ports/delivery-queue.js';
import type { DeliveryCounts, DeliveryRuns } from '../ports/delivery-runs.js';
import type { Log } from '../ports/log.js';
import type { Metrics } from '../ports/metrics.js';
import type { OutgoingDigests } from '../ports/outgoing-digests.js';
import type { PageArchive } from '../ports/page-archive.js';
import type { SubscriberStore } from '../ports/subscriber-store.js';
import type { TimelineYears } from '../ports/timeline-years.js';
import { addSubscribers } from '../subscribers/manage-subscribers.js';
import { type ComposeDeps, composeDigest } from './compose-digest.js';
import { composeTimeline, type TimelineDeps } from './compose-timeline.js';
import { digestJson } from './digest.js';
import type { DigestRenderer } from './render-digest.js';

export interface QueueDigestDeps extends ComposeDeps, TimelineDeps {
  readonly developments: ComposeDeps['developments'] & TimelineDeps['developments'];
  readonly timelineYears: TimelineYears;
  readonly pageArchive: PageArchive;
  readonly outgoing: OutgoingDigests;
  readonly subscribers: SubscriberStore;
  readonly deliveryQueue: DeliveryQueue;
  readonly deliveryRuns: DeliveryRuns;
  readonly renderer: DigestRenderer;
  readonly log: Log;
  readonly metrics: Metrics;
  readonly now: () => Date;
}

export interface QueueDigestOutcome {
  readonly week: string;
  readonly developments: number;
  readonly htmlKey: string;
  readonly timelineKey: string;
  /** Readers queued by this invocation (0 when an earlier one queued them all). */
  readonly queuedNow: number;
  /** The week's counters so far: queued, sent, suppressed, failed; `pending` is what is left. */
  readonly delivery: DeliveryCounts & { readonly pending: number };
  /** A quiet week the story does not send: nobody was queued. */
  readonly skipped: boolean;
  /** Every active subscriber is queued; false when the run ran out of time (its retry goes on). */
  readonly complete: boolean;
}

/** Subscribers read per page: 10 SQS batches of DELIVERY_BATCH_SIZE, one SendMessageBatch. */
const PAGE = DELIVERY_BATCH_SIZE * 10;

/**
 * The weekly digest run: composes the week once (the web copy and timeline archived, the email
 * every reader gets kept for the senders with a placeholder for each reader's unsubscribe link),
 * then walks the active subscribers page by page, never holding the list, and queues them in
 * batches of DELIVERY_BATCH_SIZE for the senders.
 *
 * The run's cursor (the last address queued) is saved after each page, so a run that stops (a
 * timeout, a crash) and is retried goes on after it; a page queued but not yet recorded is
 * queued twice, which the senders' delivery ledger makes harmless. Once every reader is queued
 * the week is complete: a later run re-archives but queues nobody again.
 */
export async function queueDigest(
  story: Story,
  week: string,
  run: { readonly seed: readonly string[]; readonly deadline: Date },
  deps: QueueDigestDeps,
): Promise<QueueDigestOutcome> {
  const seeded = await addSubscribers(story.id, run.seed, deps);
  if (seeded.added.length) deps.log.info('seed subscribers added', { added: seeded.added });
  const digest = await composeDigest(story, week, deps);
  const links = {
    webUrl: digestWebUrl(deps.webBaseUrl, story.id, week),
    timelineUrl: timelineWebUrl(deps.webBaseUrl, story.id),
  };
  // The archive is the web copy: the whole digest, no reader's unsubscribe link, no link to itself.
  const rendered = deps.renderer.renderWebCopy(digest, {
    timelineUrl: links.timelineUrl,
    subscribeUrl: subscribeWebUrl(deps.webBaseUrl, story.id),
  });
  const timeline = await composeTimeline(story, week, links.webUrl, deps);
  // The latest year's page is also the story's timeline page; a re-run of an older year's week
  // rewrites only its own.
  const latest = await deps.timelineYears.claimLatestTimelineYear(story.id, timeline.year);
  const count = digest.items.length + digest.exchanges.length;
  const [{ htmlKey }, { key: timelineKey }] = await Promise.all([
    deps.pageArchive.putDigest(story.id, week, {
      html: rendered.html,
      text: rendered.text,
      json: digestJson(digest),
    }),
    deps.pageArchive.putTimeline(story.id, timeline.year, timeline.html, latest),
  ]);
  // A quiet week still reassures readers that the story was watched, unless the story says not to.
  const skipped = count === 0 && !story.digest.sendEmptyWeek;
  let queuedNow = 0;
  if (skipped) {
    deps.log.info('nothing new this week: no digest sent', { week });
  } else {
    let state = await deps.deliveryRuns.get(story.id, week);
    // Composed again on a resumed run: the same developments, so the readers' email is the same.
    if (!state?.complete) {
      await deps.outgoing.put({
        storyId: story.id,
        week,
        from: story.digest.sender,
        developments: count,
        ...deps.renderer.renderForReaders(digest, links),
      });
    }
    while (!state?.complete) {
      if (deps.now().getTime() >= run.deadline.getTime()) break; // the retry goes on from here
      const from = state?.cursor;
      const page = await deps.subscribers.pageSubscribers(story.id, 'active', {
        after: from,
        limit: PAGE,
      });
      const batches: DeliveryBatch[] = [];
      for (let start = 0; start < page.addresses.length; start += DELIVERY_BATCH_SIZE) {
        batches.push({
          storyId: story.id,
          week,
          recipients: page.addresses.slice(start, start + DELIVERY_BATCH_SIZE),
          attempt: 1,
        });
      }
      if (batches.length) await deps.deliveryQueue.enqueue(batches);
      const cursor = page.addresses.at(-1) ?? from;
      const advanced = await deps.deliveryRuns.advance(story.id, week, {
        from,
        cursor,
        queued: page.addresses.length,
        complete: page.next === undefined,
        at: deps.now().toISOString(),
      });
      // Another run moved the cursor meanwhile: it queued this page too; go on from its cursor.
      if (advanced) queuedNow += page.addresses.length;
      state = await deps.deliveryRuns.get(story.id, week);
    }
    deps.metrics.count(METRIC.digestsQueued, queuedNow);
  }
  const state = await deps.deliveryRuns.get(story.id, week);
  const counts = {
    queued: state?.queued ?? 0,
    sent: state?.sent ?? 0,
    suppressed: state?.suppressed ?? 0,
    failed: state?.failed ?? 0,
  };
  const delivery = {
    ...counts,
    pending: Math.max(0, counts.queued - counts.sent - counts.suppressed - counts.failed),
  };
  deps.log.info('digest queued', { week, developments: count, queuedNow, ...delivery });
  return {
    week,
    developments: count,
    htmlKey,
    timelineKey,
    queuedNow,
    delivery,
    skipped,
    complete: skipped || state?.complete === true,
  };
}
