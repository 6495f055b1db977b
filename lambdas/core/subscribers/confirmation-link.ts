import { createHmac, timingSafeEqual } from 'node:crypto';
import { confirmSubscriptionWebUrl } from '../7-web/web-routes.js';
import { normalizeAddress } from './subscriber.js';

/**
 * Signed, expiring sign-up confirmation links. The token is HMAC-SHA256 with the deployment's
 * link key (the unsubscribe links' key: a different first field keeps the two kinds of token
 * apart) over `["confirm", storyId, address, issuedAt]`, base64url. Unlike an unsubscribe link it
 * expires: it adds a reader, and a link left in a forwarded or leaked mailbox must not do that
 * for ever.
 */
export const CONFIRMATION_LINK_HOURS = 48;

/** What a confirmation link carries, as the page reads it back; any of it may be missing. */
export interface ConfirmationParams {
  readonly address?: string | undefined;
  readonly issued?: string | undefined;
  readonly token?: string | undefined;
}

export type ConfirmationCheck =
  | { readonly ok: true; readonly address: string; readonly issuedAt: string }
  | { readonly ok: false; readonly reason: 'malformed' | 'forged' | 'expired' };

export function confirmationToken(
  secret: string,
  storyId: string,
  address: string,
  issuedAt: string,
): string {
  return createHmac('sha256', secret)
    .update(JSON.stringify(['confirm', storyId, normalizeAddress(address), issuedAt]))
    .digest('base64url');
}

export function confirmationUrl(
  link: { readonly baseUrl: string; readonly secret: string },
  storyId: string,
  address: string,
  issuedAt: string,
): string {
  const url = new URL(confirmSubscriptionWebUrl(link.baseUrl, storyId));
  url.searchParams.set('address', normalizeAddress(address));
  url.searchParams.set('issued', issuedAt);
  url.searchParams.set('token', confirmationToken(link.secret, storyId, address, issuedAt));
  return url.toString();
}

/**
 * Checks a link's signature (in constant time) and age: issued at most
 * {@link CONFIRMATION_LINK_HOURS} before `now`, and not after it (a clock a few minutes apart
 * between two Lambda hosts is tolerated).
 */
export function checkConfirmation(
  secret: string,
  storyId: string,
  params: ConfirmationParams,
  now: Date,
): ConfirmationCheck {
  const { address: given, issued, token } = params;
  if (!given || !issued || !token || Number.isNaN(Date.parse(issued))) {
    return { ok: false, reason: 'malformed' };
  }
  const address = normalizeAddress(given);
  const expected = Buffer.from(confirmationToken(secret, storyId, address, issued));
  const actual = Buffer.from(token);
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
    return { ok: false, reason: 'forged' };
  }
  const age = now.getTime() - Date.parse(issued);
  if (age > CONFIRMATION_LINK_HOURS * 3_600_000 || age < -5 * 60_000) {
    return { ok: false, reason: 'expired' };
  }
  return { ok: true, address, issuedAt: issued };
}
