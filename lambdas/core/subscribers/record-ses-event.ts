import { BOUNCE_TYPE_DIMENSION, METRIC } from '../model/metric-names.js';
import { parsePayload } from '../model/validation.js';
import * as z from '../model/zod.js';
import type { Log } from '../ports/log.js';
import type { Metrics } from '../ports/metrics.js';
import type { SubscriberStore } from '../ports/subscriber-store.js';
import { normalizeAddress } from './subscriber.js';

export interface SesEventDeps {
  readonly subscribers: SubscriberStore;
  readonly storyId: string;
  readonly log: Log;
  readonly metrics: Metrics;
  readonly now: () => Date;
}

const recipients = (field: string) =>
  z
    .array(z.looseObject({ emailAddress: z.string().check(z.minLength(1)) }))
    .check(z.minLength(1, `${field}: no recipients`));

/**
 * An SES notification as SNS delivers it: identity notifications name the kind in
 * `notificationType`, configuration-set event publishing in `eventType`; both carry the same
 * `bounce` / `complaint` objects. Other kinds (Delivery, Send, …) are accepted and ignored.
 */
const sesNotificationSchema = z.looseObject({
  notificationType: z.optional(z.string()),
  eventType: z.optional(z.string()),
  mail: z.optional(z.looseObject({ messageId: z.optional(z.string()) })),
  bounce: z.optional(
    z.looseObject({
      bounceType: z.string(),
      bounceSubType: z.optional(z.string()),
      bouncedRecipients: recipients('bounce.bouncedRecipients'),
    }),
  ),
  complaint: z.optional(
    z.looseObject({
      complaintFeedbackType: z.optional(z.string()),
      complainedRecipients: recipients('complaint.complainedRecipients'),
    }),
  ),
});

export interface SesEventOutcome {
  readonly kind: string;
  readonly suppressed: readonly string[];
  /** Why nothing was suppressed (a transient bounce, a delivery notice…). */
  readonly ignored?: string;
}

/**
 * Suppresses the recipients of a hard bounce (`Permanent`) or a complaint, so no digest goes
 * to them again. Transient and undetermined bounces are ignored: SES retries those itself and
 * a full mailbox today is a working one next week.
 */
export async function recordSesEvent(
  notification: unknown,
  deps: SesEventDeps,
): Promise<SesEventOutcome> {
  const event = parsePayload(sesNotificationSchema, notification, 'SES notification');
  const kind = event.eventType ?? event.notificationType;
  if (!kind) {
    return { kind: 'unknown', suppressed: [], ignored: 'neither eventType nor notificationType' };
  }
  let addresses: string[];
  let reason: string;
  if (kind === 'Bounce') {
    if (!event.bounce) return { kind, suppressed: [], ignored: 'a Bounce without its bounce' };
    deps.metrics.count(METRIC.emailsBounced, event.bounce.bouncedRecipients.length, {
      [BOUNCE_TYPE_DIMENSION]: bounceTypeOf(event.bounce.bounceType),
    });
    if (event.bounce.bounceType !== 'Permanent') {
      return { kind, suppressed: [], ignored: `a ${event.bounce.bounceType} bounce` };
    }
    addresses = event.bounce.bouncedRecipients.map((recipient) => recipient.emailAddress);
    reason = `bounce: Permanent${event.bounce.bounceSubType ? `/${event.bounce.bounceSubType}` : ''}`;
  } else if (kind === 'Complaint') {
    if (!event.complaint) {
      return { kind, suppressed: [], ignored: 'a Complaint without its complaint' };
    }
    addresses = event.complaint.complainedRecipients.map((recipient) => recipient.emailAddress);
    deps.metrics.count(METRIC.emailsComplained, addresses.length);
    reason = `complaint${event.complaint.complaintFeedbackType ? `: ${event.complaint.complaintFeedbackType}` : ''}`;
  } else {
    return { kind, suppressed: [], ignored: `a ${kind} notification` };
  }
  const suppressed: string[] = [];
  for (const address of addresses.map(bareAddress)) {
    await deps.subscribers.suppress(deps.storyId, address, deps.now().toISOString(), reason);
    suppressed.push(address);
  }
  deps.log.info('addresses suppressed', {
    kind,
    reason,
    suppressed,
    messageId: event.mail?.messageId,
  });
  return { kind, suppressed };
}

/** SES's three bounce types; anything else is counted as SES's own catch-all, not as a new dimension value. */
function bounceTypeOf(type: string): string {
  return type === 'Permanent' || type === 'Transient' ? type : 'Undetermined';
}

/** `"Ana B" <ana@example.org>` → `ana@example.org`; SES usually sends the bare address. */
function bareAddress(recipient: string): string {
  const angle = /<([^<>]+)>\s*$/.exec(recipient);
  return normalizeAddress(angle?.[1] ?? recipient);
}
