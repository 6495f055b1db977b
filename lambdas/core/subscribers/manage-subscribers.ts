import type { SubscriberStore } from '../ports/subscriber-store.js';
import type { Subscriber, SubscriberStatus } from './subscriber.js';

export interface SubscriberDeps {
  readonly subscribers: SubscriberStore;
  readonly now: () => Date;
}

export interface AddOutcome {
  readonly added: readonly string[];
  /** Addresses already known, with the status they keep (an unsubscribed one stays so). */
  readonly kept: readonly Subscriber[];
}

/**
 * Adds addresses (already validated and normalised) as active subscribers. A known address is
 * left as it is: adding never re-activates someone who unsubscribed or was suppressed, which is
 * what lets the stack's `subscribers` list be re-applied as a seed on every run.
 */
export async function addSubscribers(
  storyId: string,
  addresses: readonly string[],
  deps: SubscriberDeps,
): Promise<AddOutcome> {
  const added: string[] = [];
  const kept: Subscriber[] = [];
  for (const address of addresses) {
    const at = deps.now().toISOString();
    const existing = await deps.subscribers.addSubscriber({
      storyId,
      address,
      status: 'active',
      createdAt: at,
      // Added by the operator, who vouches for the address: nothing left to confirm.
      confirmedAt: at,
    });
    if (existing) kept.push(existing);
    else added.push(address);
  }
  return { added, kept };
}

/** Marks addresses unsubscribed (kept, not deleted, so that no seed adds them back). */
export async function removeSubscribers(
  storyId: string,
  addresses: readonly string[],
  deps: SubscriberDeps,
): Promise<{ address: string; previous: SubscriberStatus | undefined }[]> {
  const removed: { address: string; previous: SubscriberStatus | undefined }[] = [];
  for (const address of addresses) {
    const previous = await deps.subscribers.unsubscribe(storyId, address, deps.now().toISOString());
    removed.push({ address, previous });
  }
  return removed;
}
