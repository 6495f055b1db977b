import type { Log } from '../ports/log.js';
import type { SubscriberStore } from '../ports/subscriber-store.js';
import type { SubscriberStatus } from './subscriber.js';
import { normalizeAddress } from './subscriber.js';
import { isValidUnsubscribeToken } from './unsubscribe-link.js';

export interface UnsubscribeDeps {
  readonly subscribers: SubscriberStore;
  readonly storyId: string;
  readonly secret: string;
  readonly log: Log;
  readonly now: () => Date;
}

/** What the link carried; any of it may be missing when the link was cut or edited. */
export interface UnsubscribeParams {
  readonly story?: string | undefined;
  readonly address?: string | undefined;
  readonly token?: string | undefined;
}

export type UnsubscribeOutcome =
  /** The link is good; nothing changed yet (a GET: mail scanners follow links). */
  | { readonly kind: 'confirm'; readonly address: string }
  | {
      readonly kind: 'unsubscribed';
      readonly address: string;
      readonly previous: SubscriberStatus | undefined;
    }
  /** Missing or malformed parameters, or another story's link. */
  | { readonly kind: 'invalid'; readonly reason: string }
  /** Well-formed, but the token does not match the address. */
  | { readonly kind: 'forbidden'; readonly reason: string };

/**
 * Checks an unsubscribe link and, for `unsubscribe` (the one-click POST), marks the address
 * unsubscribed. `confirm` only checks: it is what a GET gets. Nothing changes on a bad link.
 */
export async function answerUnsubscribe(
  action: 'confirm' | 'unsubscribe',
  params: UnsubscribeParams,
  deps: UnsubscribeDeps,
): Promise<UnsubscribeOutcome> {
  const missing = (['story', 'address', 'token'] as const).filter((name) => !params[name]);
  if (missing.length) {
    return { kind: 'invalid', reason: `the link lacks its ${missing.join(', ')}` };
  }
  const { story = '', address: given = '', token = '' } = params;
  if (story !== deps.storyId) {
    return { kind: 'invalid', reason: `the link is for another list ("${story}")` };
  }
  const address = normalizeAddress(given);
  if (!isValidUnsubscribeToken(deps.secret, { storyId: story, address, token })) {
    deps.log.warn('unsubscribe link with a bad token', { address });
    return { kind: 'forbidden', reason: 'the link’s signature does not match the address' };
  }
  if (action === 'confirm') return { kind: 'confirm', address };
  const previous = await deps.subscribers.unsubscribe(story, address, deps.now().toISOString());
  deps.log.info('unsubscribed', { address, previous });
  return { kind: 'unsubscribed', address, previous };
}
