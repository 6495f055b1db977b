import { digestWebUrl, subscribeWebUrl, timelineWebUrl } from '../7-web/web-routes.js';
import { DigestDeliveryError, describeError } from '../model/errors.js';
import { METRIC } from '../model/metric-names.js';
import type { Story } from '../model/story.js';
import type { DeliveryLedger } from '../ports/delivery-ledger.js';
import type { Log } from '../ports/log.js';
import type { Mailer } from '../ports/mailer.js';
import type { Metrics } from '../ports/metrics.js';
import type { PageArchive } from '../ports/page-archive.js';
import type { SubscriberStore } from '../ports/subscriber-store.js';
import type { TimelineYears } from '../ports/timeline-years.js';
import { addSubscribers } from '../subscribers/manage-subscribers.js';
import {
  listUnsubscribeHeaders,
  unsubscribeUrl as signedUnsubscribeUrl,
  type UnsubscribeSigner,
} from '../subscribers/unsubscribe-link.js';
import { type ComposeDeps, composeDigest } from './compose-digest.js';
import { composeTimeline, type TimelineDeps } from './compose-timeline.js';
import { type Digest, digestJson } from './digest.js';
import type { DigestRenderer, RenderedDigest } from './render-digest.js';

export interface DigestDeps extends ComposeDeps, TimelineDeps {
  readonly developments: ComposeDeps['developments'] & TimelineDeps['developments'];
  readonly deliveries: DeliveryLedger;
  readonly timelineYears: TimelineYears;
  readonly pageArchive: PageArchive;
  readonly subscribers: SubscriberStore;
  /** Where readers' one-click unsubscribe links lead, and the key that signs them. */
  readonly unsubscribe: UnsubscribeSigner;
  readonly mailer: Mailer;
  readonly renderer: DigestRenderer;
  readonly log: Log;
  readonly metrics: Metrics;
  readonly now: () => Date;
  readonly sleep: (ms: number) => Promise<void>;
}

export interface DigestOutcome {
  readonly week: string;
  readonly developments: number;
  readonly htmlKey: string;
  readonly timelineKey: string;
  readonly sent: readonly string[];
  readonly alreadySent: readonly string[];
  /** Claimed by another invocation that may still be sending; it or a later one sends them. */
  readonly inFlight: readonly string[];
  readonly failed: readonly { readonly recipient: string; readonly reason: string }[];
  readonly digest: Digest;
  /** The web copy, as archived. */
  readonly rendered: RenderedDigest;
}

/** Time kept back to send one email after waiting for a dead invocation's lease to end. */
const SEND_MARGIN_MS = 30_000;

/**
 * Composes, archives and sends one week's digest to the story's active subscribers, after
 * making sure the seed addresses (the stack's `subscribers`) exist: a seed address is added as
 * active only when unknown, so an unsubscribed or suppressed one stays so.
 *
 * Each recipient is claimed in the ledger before sending and marked sent after, so a retried
 * or repeated invocation sends nobody the same week twice, and one that follows a crash
 * resumes where it stopped. The claim is leased until the claiming invocation's deadline; a
 * claim still `sending` after that belonged to an invocation that died between claiming and
 * marking, and is sent again. That window is at-least-once by choice: when the crash fell
 * after SES accepted the email and before the ledger recorded it, that one recipient gets the
 * week twice; the alternative (at-most-once) would silently skip a reader's week. A claim held
 * by an invocation that may still be alive is waited for when its lease ends before ours.
 */
export async function sendDigest(
  story: Story,
  week: string,
  run: { readonly seed: readonly string[]; readonly deadline: Date },
  deps: DigestDeps,
): Promise<DigestOutcome> {
  const seeded = await addSubscribers(story.id, run.seed, deps);
  if (seeded.added.length) deps.log.info('seed subscribers added', { added: seeded.added });
  const recipients = (await deps.subscribers.listSubscribers(story.id, 'active')).map(
    (subscriber) => subscriber.address,
  );
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
  const [{ htmlKey }, { key: timelineKey }] = await Promise.all([
    deps.pageArchive.putDigest(story.id, week, {
      html: rendered.html,
      text: rendered.text,
      json: digestJson(digest),
    }),
    deps.pageArchive.putTimeline(story.id, timeline.year, timeline.html, latest),
  ]);
  const sent: string[] = [];
  const alreadySent: string[] = [];
  const inFlight: string[] = [];
  const failed: { recipient: string; reason: string }[] = [];
  const count = digest.items.length + digest.exchanges.length;
  // A quiet week still reassures readers that the story was watched, unless the story says not to.
  const quietAndSkipped = count === 0 && !story.digest.sendEmptyWeek;
  if (quietAndSkipped) deps.log.info('nothing new this week: no digest sent', { week });
  const held: { recipient: string; leaseUntil: string }[] = [];

  const deliver = async (recipient: string): Promise<void> => {
    const claimedAt = deps.now().toISOString();
    const claim = await deps.deliveries.claimDelivery(story.id, week, recipient, {
      claimedAt,
      leaseUntil: run.deadline.toISOString(),
    });
    if (!claim.claimed) {
      if (claim.status === 'sent') alreadySent.push(recipient);
      else held.push({ recipient, leaseUntil: claim.leaseUntil });
      return;
    }
    // Read again at the last moment: someone may have unsubscribed since the list was read.
    const subscriber = await deps.subscribers.getSubscriber(story.id, recipient);
    if (subscriber?.status !== 'active') {
      await deps.deliveries.releaseDelivery(story.id, week, recipient);
      return;
    }
    let messageId: string;
    try {
      const unsubscribeUrl = signedUnsubscribeUrl(deps.unsubscribe, story.id, recipient);
      const personal = deps.renderer.render(digest, { ...links, unsubscribeUrl });
      ({ messageId } = await deps.mailer.send({
        from: story.digest.sender,
        to: recipient,
        subject: personal.subject,
        html: personal.html,
        text: personal.text,
        headers: listUnsubscribeHeaders(unsubscribeUrl),
      }));
    } catch (error) {
      // Not accepted by SES: give the claim back, so that the retry of this invocation (the
      // handler fails it once everyone else is served) sends to this reader.
      await deps.deliveries.releaseDelivery(story.id, week, recipient);
      failed.push({ recipient, reason: describeError(error) });
      deps.metrics.count(METRIC.digestsFailed, 1);
      deps.log.error('digest not sent', { week, recipient, reason: describeError(error) });
      return;
    }
    sent.push(recipient);
    deps.metrics.count(METRIC.digestsSent, 1);
    await deps.deliveries.markDelivered(story.id, week, recipient, messageId);
  };

  for (const recipient of quietAndSkipped ? [] : recipients) await deliver(recipient);

  // Claims of another invocation: wait for those whose lease ends while there is time to send.
  const waiting = held.splice(0).sort((a, b) => a.leaseUntil.localeCompare(b.leaseUntil));
  for (const { recipient, leaseUntil } of waiting) {
    const wait = Date.parse(leaseUntil) - deps.now().getTime() + 1;
    if (deps.now().getTime() + Math.max(wait, 0) > run.deadline.getTime() - SEND_MARGIN_MS) {
      inFlight.push(recipient);
      continue;
    }
    if (wait > 0) await deps.sleep(wait);
    await deliver(recipient);
  }
  // A claim taken over by a third invocation while we waited: that one sends it.
  inFlight.push(...held.map((claim) => claim.recipient));

  deps.log.info('digest finished', {
    week,
    developments: count,
    sent: sent.length,
    alreadySent: alreadySent.length,
    inFlight: inFlight.length,
    failed: failed.length,
  });
  return {
    week,
    developments: count,
    htmlKey,
    timelineKey,
    sent,
    alreadySent,
    inFlight,
    failed,
    digest,
    rendered,
  };
}

/**
 * The failure to report once everyone else was served: SES refused some recipients, or another
 * invocation still held their claim when this one ran out of time to wait. Undefined when every
 * active recipient has the week's digest.
 */
export function undeliveredDigest(outcome: DigestOutcome): DigestDeliveryError | undefined {
  if (outcome.failed.length === 0 && outcome.inFlight.length === 0) return undefined;
  return new DigestDeliveryError(outcome.week, outcome.failed, outcome.inFlight);
}
