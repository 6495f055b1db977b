import { describeError, SendThrottledError, StoryDigestError } from '../model/errors.js';
import { METRIC } from '../model/metric-names.js';
import type { DeliveryLedger } from '../ports/delivery-ledger.js';
import type { DeliveryBatch, DeliveryQueue } from '../ports/delivery-queue.js';
import type { DeliveryRuns } from '../ports/delivery-runs.js';
import type { Log } from '../ports/log.js';
import type { Mailer } from '../ports/mailer.js';
import type { Metrics } from '../ports/metrics.js';
import type { OutgoingDigests } from '../ports/outgoing-digests.js';
import type { SendRate } from '../ports/send-rate.js';
import type { SubscriberStore } from '../ports/subscriber-store.js';
import {
  listUnsubscribeHeaders,
  unsubscribeUrl as signedUnsubscribeUrl,
  type UnsubscribeSigner,
} from '../subscribers/unsubscribe-link.js';
import { personalise } from './personalise.js';

export interface DeliverDeps {
  readonly deliveries: DeliveryLedger;
  readonly subscribers: Pick<SubscriberStore, 'getSubscriber'>;
  readonly outgoing: Pick<OutgoingDigests, 'get'>;
  readonly mailer: Mailer;
  readonly sendRate: SendRate;
  readonly deliveryQueue: DeliveryQueue;
  readonly deliveryRuns: Pick<DeliveryRuns, 'count'>;
  readonly unsubscribe: UnsubscribeSigner;
  readonly log: Log;
  readonly metrics: Metrics;
  readonly now: () => Date;
  readonly sleep: (ms: number) => Promise<void>;
}

export interface DeliverSettings {
  /** SES's maximum send rate for this story's senders together, emails a second. */
  readonly maxSendRate: number;
  /** Attempts of a reader's batch before it is set aside in the DLQ (the first included). */
  readonly maxAttempts: number;
  /** The delay before a batch's second attempt; doubled each further attempt (SQS: 900 at most). */
  readonly retryDelaySeconds: number;
  /** Time kept back at the end of an invocation to send one email and record it. */
  readonly sendMarginMs: number;
  /** The first back-off after a throttled send; doubled for each further one of the reader. */
  readonly throttleBackoffMs: number;
}

export interface DeliverOutcome {
  readonly sent: readonly string[];
  /** Sent by an earlier attempt or a duplicate of this batch: not sent again. */
  readonly alreadySent: readonly string[];
  /** Had left (unsubscribed, suppressed) when their turn came in this attempt: not sent. */
  readonly suppressed: readonly string[];
  /** Skipped for that reason by an earlier attempt or a duplicate of this batch. */
  readonly alreadySkipped: readonly string[];
  /** Not reached in this attempt, each with why: queued again, or set aside when `setAside`. */
  readonly unreached: Readonly<Record<string, string>>;
  readonly setAside: boolean;
  /** SES throttled a send (each one is backed off and tried again). */
  readonly throttled: number;
}

/** Throttled sends of one reader backed off within an invocation before it is queued again. */
const MAX_THROTTLES = 5;
/**
 * Slots reserved at once. One: a sender uses its slot right after reserving it, so it is never
 * late for it; slots reserved ahead went stale while the sender claimed and read its next
 * readers (measured: with 10 at a time, 10 sends a second out of 100, the rest dropped unused).
 */
const SLOTS_PER_RESERVATION = 1;

/**
 * A sender's work: one batch of readers of one week's digest. For each reader: a claim in the
 * delivery ledger (leased until this invocation's deadline), the subscriber read again (who left
 * since being queued is skipped, never sent), a slot of the shared SES send rate, the send, and
 * the ledger marked sent.
 *
 * Exactly once: a redelivered or duplicated batch finds its readers `sent` or `skipped` and
 * passes them; a claim left `sending` by a sender that died is taken over once its lease ends
 * (waited for when that comes before our own deadline). The one window left is a sender that
 * died after SES accepted an email and before the ledger recorded it: that reader gets the week
 * twice (at-least-once by choice; the alternative would silently skip a reader's week).
 *
 * A throttled send backs the whole story's senders off (the shared rate is paused) and is tried
 * again; readers not reached (SES refused them, kept throttling, another sender still holds
 * them, or time ran out) go on in a new batch after a back-off delay, and after `maxAttempts`
 * to the DLQ with the reason for each. Nothing is thrown for them: the batch's message is done.
 */
export async function deliverBatch(
  batch: DeliveryBatch,
  run: { readonly deadline: Date },
  deps: DeliverDeps,
  settings: DeliverSettings,
): Promise<DeliverOutcome> {
  const { storyId, week } = batch;
  const template = await deps.outgoing.get(storyId, week);
  // The digest run writes it before queueing anyone: a failure here is a storage fault, retried.
  if (!template) throw new StoryDigestError(`digest ${week} of ${storyId}: no composed email`);
  const intervalMs = 1000 / settings.maxSendRate;
  const lastSendAt = run.deadline.getTime() - settings.sendMarginMs;
  const sent: string[] = [];
  const alreadySent: string[] = [];
  const suppressed: string[] = [];
  const alreadySkipped: string[] = [];
  const unreached = new Map<string, string>();
  let throttled = 0;
  let slots: number[] = [];
  const now = () => deps.now().getTime();

  /** The next send slot, or undefined when it comes too late for this invocation. */
  const nextSlot = async (left: number): Promise<number | undefined> => {
    // A slot missed by more than its interval is dropped, never used late: two senders' sends
    // then never fall closer together than the rate allows.
    slots = slots.filter((slot) => slot + intervalMs > now());
    if (slots.length === 0) {
      const count = Math.max(1, Math.min(left, SLOTS_PER_RESERVATION));
      const first = await deps.sendRate.reserve(count, intervalMs);
      slots = Array.from({ length: count }, (_, i) => first + i * intervalMs);
    }
    const slot = slots.shift() ?? now();
    return slot > lastSendAt ? undefined : slot;
  };

  const deliver = async (recipient: string, left: number): Promise<void> => {
    if (now() > lastSendAt) return void unreached.set(recipient, 'out of time');
    let claim = await deps.deliveries.claimDelivery(storyId, week, recipient, {
      claimedAt: deps.now().toISOString(),
      leaseUntil: run.deadline.toISOString(),
    });
    if (!claim.claimed && claim.status === 'sending') {
      // A sender that died, or a duplicate of this batch still at work: wait for its lease when
      // that leaves time to send; otherwise the reader goes on in the next attempt.
      const wait = Date.parse(claim.leaseUntil) - now() + 1;
      if (now() + wait > lastSendAt) {
        return void unreached.set(recipient, 'claimed by another sender');
      }
      await deps.sleep(wait);
      claim = await deps.deliveries.claimDelivery(storyId, week, recipient, {
        claimedAt: deps.now().toISOString(),
        leaseUntil: run.deadline.toISOString(),
      });
    }
    if (!claim.claimed) {
      if (claim.status === 'sent') alreadySent.push(recipient);
      else if (claim.status === 'skipped') alreadySkipped.push(recipient);
      else unreached.set(recipient, 'claimed by another sender');
      return;
    }
    // Read again at the last moment: someone may have unsubscribed since the list was read.
    const subscriber = await deps.subscribers.getSubscriber(storyId, recipient);
    if (subscriber?.status !== 'active') {
      await deps.deliveries.markSkipped(storyId, week, recipient, subscriber?.status ?? 'unknown');
      suppressed.push(recipient);
      deps.metrics.count(METRIC.digestsSuppressed, 1);
      return;
    }
    const unsubscribeUrl = signedUnsubscribeUrl(deps.unsubscribe, storyId, recipient);
    const personal = personalise(template, unsubscribeUrl);
    for (let throttles = 0; ; ) {
      const slot = await nextSlot(left);
      if (slot === undefined) {
        await deps.deliveries.releaseDelivery(storyId, week, recipient);
        return void unreached.set(recipient, 'out of time (send rate)');
      }
      if (slot > now()) await deps.sleep(slot - now());
      let messageId: string;
      try {
        ({ messageId } = await deps.mailer.send({
          from: template.from,
          to: recipient,
          subject: personal.subject,
          html: personal.html,
          text: personal.text,
          headers: listUnsubscribeHeaders(unsubscribeUrl),
        }));
      } catch (error) {
        if (error instanceof SendThrottledError && throttles < MAX_THROTTLES) {
          throttles += 1;
          throttled += 1;
          // Every sender of the story waits: SES counts the account's rate, not this sender's.
          await deps.sendRate.pause(now() + settings.throttleBackoffMs * 2 ** (throttles - 1));
          slots = [];
          deps.log.warn('SES throttled a send: backing off', { week, recipient, throttles });
          continue;
        }
        // Given back, so the next attempt of this reader's batch can claim it.
        await deps.deliveries.releaseDelivery(storyId, week, recipient);
        return void unreached.set(recipient, describeError(error));
      }
      sent.push(recipient);
      deps.metrics.count(METRIC.digestsSent, 1);
      await deps.deliveries.markDelivered(storyId, week, recipient, messageId);
      return;
    }
  };

  for (const [index, recipient] of batch.recipients.entries()) {
    await deliver(recipient, batch.recipients.length - index);
  }

  if (sent.length || suppressed.length) {
    await deps.deliveryRuns.count(storyId, week, {
      sent: sent.length,
      suppressed: suppressed.length,
    });
  }
  const reasons = Object.fromEntries(unreached);
  let setAside = false;
  if (unreached.size) {
    const rest: DeliveryBatch = { storyId, week, recipients: [...unreached.keys()], attempt: 1 };
    if (batch.attempt >= settings.maxAttempts) {
      setAside = true;
      await deps.deliveryQueue.setAside({ ...rest, attempt: batch.attempt, reasons });
      await deps.deliveryRuns.count(storyId, week, { failed: unreached.size });
      deps.metrics.count(METRIC.digestsFailed, unreached.size);
      deps.log.error('digest readers set aside in the delivery DLQ', { week, reasons });
    } else {
      const delaySeconds = Math.min(900, settings.retryDelaySeconds * 2 ** (batch.attempt - 1));
      await deps.deliveryQueue.retry({ ...rest, attempt: batch.attempt + 1 }, delaySeconds);
      deps.log.warn('digest readers queued again', { week, delaySeconds, reasons });
    }
  }
  deps.log.info('digest batch delivered', {
    week,
    attempt: batch.attempt,
    sent: sent.length,
    alreadySent: alreadySent.length,
    suppressed: suppressed.length,
    unreached: unreached.size,
    throttled,
  });
  return { sent, alreadySent, suppressed, alreadySkipped, unreached: reasons, setAside, throttled };
}
