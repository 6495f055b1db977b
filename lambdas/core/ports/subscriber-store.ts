import type { Subscriber, SubscriberStatus } from '../subscribers/subscriber.js';

/** Subscribers per story. Addresses are normalised (lower case) by the caller. */
export interface SubscriberStore {
  /** Creates the subscriber unless its address is known; returns the existing one if it is. */
  addSubscriber(subscriber: Subscriber): Promise<Subscriber | undefined>;
  getSubscriber(storyId: string, address: string): Promise<Subscriber | undefined>;
  /** Every subscriber of the story, or those with `status`, ordered by address. */
  listSubscribers(storyId: string, status?: SubscriberStatus): Promise<Subscriber[]>;
  /**
   * One page of the story's subscribers with `status`, ordered by address, after `after`: the
   * digest run walks the list this way and never holds it whole. `next` is the last address of
   * the page when more may follow.
   */
  pageSubscribers(
    storyId: string,
    status: SubscriberStatus,
    page: { readonly after?: string | undefined; readonly limit: number },
  ): Promise<{ readonly addresses: readonly string[]; readonly next?: string }>;
  /**
   * Marks the address unsubscribed (creating the record when it is unknown, so that no seed
   * adds it later); a suppressed address stays suppressed. Returns the previous status.
   */
  unsubscribe(storyId: string, address: string, at: string): Promise<SubscriberStatus | undefined>;
  /**
   * Records that a sign-up confirmation link goes to the address at `at`: creates it `pending`
   * when unknown; a `pending` or `unsubscribed` address (which keeps its status until it
   * confirms) only when no link went to it after `resendAfter`. An `active` or `suppressed`
   * address is left as it is. `send` says whether the link is to be sent.
   */
  requestConfirmation(
    storyId: string,
    address: string,
    at: string,
    resendAfter: string,
  ): Promise<{ send: boolean; previous: SubscriberStatus | undefined }>;
  /**
   * Makes the address `active`, confirmed at `at`, if it is `pending`, unknown, or
   * `unsubscribed` before `issuedAt` (the confirmation link's time: an unsubscribe after the
   * link was sent wins over it). `confirmed` says whether it changed.
   */
  confirmSubscriber(
    storyId: string,
    address: string,
    at: string,
    issuedAt: string,
  ): Promise<{ confirmed: boolean; previous: SubscriberStatus | undefined }>;
  /** Marks the address suppressed with the reason (creating it when unknown); returns the previous status. */
  suppress(
    storyId: string,
    address: string,
    at: string,
    reason: string,
  ): Promise<SubscriberStatus | undefined>;
}
