import { createHmac } from 'node:crypto';
import { escapeHtml } from '../7-web/web-page.js';
import type { Story } from '../model/story.js';
import * as z from '../model/zod.js';
import type { Log } from '../ports/log.js';
import type { Mailer, OutgoingEmail } from '../ports/mailer.js';
import type { RequestQuota } from '../ports/request-quota.js';
import type { SubscriberStore } from '../ports/subscriber-store.js';
import {
  type ConfirmationParams,
  checkConfirmation,
  confirmationUrl,
} from './confirmation-link.js';
import { normalizeAddress, type SubscriberStatus } from './subscriber.js';

/** At most one confirmation email an hour to one address, however often the form is sent. */
export const RESEND_AFTER_MS = 3_600_000;
/**
 * Sign-up requests a network may make in an hour: a household or an office behind one address
 * signs up a few people, a script trying addresses makes hundreds.
 */
export const REQUESTS_PER_SOURCE_PER_HOUR = 20;

export interface SignUpDeps {
  readonly subscribers: Pick<SubscriberStore, 'requestConfirmation' | 'confirmSubscriber'>;
  readonly quota: RequestQuota;
  readonly mailer: Mailer;
  readonly story: Pick<Story, 'id' | 'title'> & {
    readonly digest: Pick<Story['digest'], 'sender' | 'postalAddress'>;
  };
  /** Signs confirmation links and keys the per-source counts. */
  readonly secret: string;
  readonly log: Log;
  readonly now: () => Date;
}

/** What the form posted, and where from. */
export interface SignUpRequest {
  readonly address: string | undefined;
  /** The hidden field: people leave it empty, form-filling bots do not. */
  readonly honeypot: string | undefined;
  /** The client's IP address, as the Function URL reports it. */
  readonly sourceIp: string;
  /** The web function's own origin, where the confirmation link leads. */
  readonly baseUrl: string;
}

export type SignUpOutcome =
  /**
   * The one answer for every well-formed address, whatever it is (new, pending, active,
   * unsubscribed, suppressed), whether an email went or not: the page says nothing about who
   * is subscribed.
   */
  | { readonly kind: 'checkInbox'; readonly address: string }
  | { readonly kind: 'invalidAddress'; readonly given: string }
  | { readonly kind: 'tooManyRequests' };

const emailAddress = z.email();

/**
 * The sign-up form's POST: a filled hidden field is answered as a success and does nothing;
 * then the source's hourly quota; then the address is recorded (`pending` when new; an
 * unsubscribed one keeps its status until it confirms) and, unless it is active or suppressed
 * or had a link within the hour, sent a confirmation link.
 */
export async function requestSignUp(
  request: SignUpRequest,
  deps: SignUpDeps,
): Promise<SignUpOutcome> {
  const given = (request.address ?? '').trim();
  if (!emailAddress.safeParse(given).success || given.length > 254) {
    return { kind: 'invalidAddress', given: given.slice(0, 254) };
  }
  const address = normalizeAddress(given);
  if (request.honeypot) {
    deps.log.info('sign-up with the hidden field filled: ignored');
    return { kind: 'checkInbox', address };
  }
  const now = deps.now();
  const hour = new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000);
  const admitted = await deps.quota.admit(
    deps.story.id,
    sourceKey(deps.secret, request.sourceIp),
    { start: hour.toISOString(), end: new Date(hour.getTime() + 3_600_000).toISOString() },
    REQUESTS_PER_SOURCE_PER_HOUR,
  );
  if (!admitted) {
    deps.log.warn('sign-up refused: too many requests from one source');
    return { kind: 'tooManyRequests' };
  }
  const issuedAt = now.toISOString();
  const { send, previous } = await deps.subscribers.requestConfirmation(
    deps.story.id,
    address,
    issuedAt,
    new Date(now.getTime() - RESEND_AFTER_MS).toISOString(),
  );
  if (send) {
    const link = confirmationUrl(
      { baseUrl: request.baseUrl, secret: deps.secret },
      deps.story.id,
      address,
      issuedAt,
    );
    await deps.mailer.send(confirmationEmail(deps.story, address, link));
  }
  deps.log.info('sign-up requested', { recipient: address, previous, sent: send });
  return { kind: 'checkInbox', address };
}

export type ConfirmOutcome =
  /** The link is good; nothing changed yet (a GET: mail scanners follow links). */
  | { readonly kind: 'confirmPage'; readonly address: string }
  | { readonly kind: 'confirmed'; readonly address: string }
  /** Signed and in date, but the address cannot be (re)activated by a link. */
  | {
      readonly kind: 'notConfirmed';
      readonly address: string;
      readonly status: SubscriberStatus | undefined;
    }
  | { readonly kind: 'badLink'; readonly reason: 'malformed' | 'forged' | 'expired' };

/**
 * A confirmation link: `show` (GET) only checks it; `confirm` (the page's button, a POST)
 * makes the address active, unless it was suppressed, or unsubscribed after the link was sent.
 */
export async function confirmSignUp(
  action: 'show' | 'confirm',
  params: ConfirmationParams,
  deps: Pick<SignUpDeps, 'subscribers' | 'story' | 'secret' | 'log' | 'now'>,
): Promise<ConfirmOutcome> {
  const now = deps.now();
  const check = checkConfirmation(deps.secret, deps.story.id, params, now);
  if (!check.ok) {
    deps.log.warn('sign-up confirmation link refused', { reason: check.reason });
    return { kind: 'badLink', reason: check.reason };
  }
  if (action === 'show') return { kind: 'confirmPage', address: check.address };
  const { confirmed, previous } = await deps.subscribers.confirmSubscriber(
    deps.story.id,
    check.address,
    now.toISOString(),
    check.issuedAt,
  );
  deps.log.info('sign-up confirmation', { recipient: check.address, previous, confirmed });
  return confirmed || previous === 'active'
    ? { kind: 'confirmed', address: check.address }
    : { kind: 'notConfirmed', address: check.address, status: previous };
}

/**
 * The key a client's requests are counted under: its network (an IPv4 address, an IPv6 /64,
 * which one subscriber line usually gets whole) keyed with the secret, so the table never
 * holds a reader's address.
 */
export function sourceKey(secret: string, sourceIp: string): string {
  return createHmac('sha256', secret)
    .update(JSON.stringify(['sign-up source', networkOf(sourceIp)]))
    .digest('base64url')
    .slice(0, 22);
}

function networkOf(ip: string): string {
  if (!ip.includes(':')) return ip;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped?.[1]) return mapped[1];
  const [head = '', tail = ''] = ip.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = ip.includes('::')
    ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((group) => group.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/** The confirmation email: one link, readable on a phone, no tracking, no unsubscribe needed. */
export function confirmationEmail(
  story: SignUpDeps['story'],
  address: string,
  link: string,
): OutgoingEmail {
  const title = escapeHtml(story.title);
  const href = escapeHtml(link);
  const html = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Confirm your subscription</title>
</head>
<body style="margin:0;padding:0;background-color:#ffffff;color:#1a1a1a;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0">
<tr><td style="padding:24px 16px;font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5;color:#1a1a1a;">
<h1 style="margin:0 0 16px 0;font-size:22px;line-height:1.3;color:#1a1a1a;">Confirm your subscription</h1>
<p style="margin:0 0 16px 0;">Someone, probably you, asked for the weekly digest of <strong>${title}</strong> at ${escapeHtml(address)}.</p>
<p style="margin:0 0 24px 0;"><a href="${href}" style="display:inline-block;padding:12px 20px;background-color:#1d4ed8;color:#ffffff;text-decoration:none;font-weight:bold;border-radius:4px;">Confirm the subscription</a></p>
<p style="margin:0 0 16px 0;font-size:14px;color:#4a4a4a;">The link opens a page with a button; it works for 48 hours. If you did not ask, ignore this email: nothing will be sent to you.</p>
<p style="margin:0;font-size:12px;color:#4a4a4a;word-break:break-all;">${href}</p>
<p style="margin:16px 0 0 0;font-size:12px;color:#4a4a4a;">${escapeHtml(story.digest.postalAddress)}</p>
</td></tr>
</table>
</body>
</html>
`;
  const text = `Confirm your subscription

Someone, probably you, asked for the weekly digest of "${story.title}" at ${address}.

Confirm it here (the link opens a page with a button; it works for 48 hours):
${link}

If you did not ask, ignore this email: nothing will be sent to you.

${story.digest.postalAddress}
`;
  return {
    from: story.digest.sender,
    to: address,
    subject: `Confirm your subscription to ${story.title}`,
    html,
    text,
  };
}
