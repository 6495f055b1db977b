import { PayloadError } from '../model/errors.js';
import * as z from '../model/zod.js';

/**
 * A subscriber's life: `pending` (signed up on the web, not yet confirmed; never mailed but for
 * the confirmation link), `active` (mailed), `unsubscribed` (asked to stop) and `suppressed`
 * (hard bounce or complaint). An unsubscribed address comes back only through the sign-up's
 * confirmation link, clicked by its owner; nothing revives a suppressed one.
 */
export type SubscriberStatus = 'pending' | 'active' | 'unsubscribed' | 'suppressed';

export interface Subscriber {
  readonly storyId: string;
  /** Lower-cased: one mailbox is one subscriber however it was typed. */
  readonly address: string;
  readonly status: SubscriberStatus;
  readonly createdAt: string;
  readonly confirmedAt?: string;
  readonly unsubscribedAt?: string;
  readonly suppressedAt?: string;
  readonly suppressionReason?: string;
  /** When the last sign-up confirmation link went to the address (at most one an hour). */
  readonly confirmationSentAt?: string;
}

const email = z.email();

/** The one spelling of an address used for keys, ledgers and tokens. */
export function normalizeAddress(address: string): string {
  return address.trim().toLowerCase();
}

/**
 * Validates and normalises addresses given by an operator; an error names every bad one and
 * `source` (the command or variable they came from). Duplicates are dropped.
 */
export function parseAddresses(values: readonly string[], source: string): string[] {
  const given = values.map((value) => value.trim()).filter((value) => value !== '');
  const invalid = given.filter((address) => !email.safeParse(address).success);
  if (invalid.length) {
    throw new PayloadError(
      source,
      `not an email address: ${invalid.map((address) => `"${address}"`).join(', ')}`,
    );
  }
  return [...new Set(given.map(normalizeAddress))];
}
