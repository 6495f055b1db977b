/** The ledger's answer to a claim. */
export type DeliveryClaim =
  | { readonly claimed: true }
  | { readonly claimed: false; readonly status: 'sent' }
  /** Not sent on purpose: the reader had left (unsubscribed, suppressed) when their turn came. */
  | { readonly claimed: false; readonly status: 'skipped' }
  | { readonly claimed: false; readonly status: 'sending'; readonly leaseUntil: string };

/** Who has been sent which week's digest: each reader gets a week once. */
export interface DeliveryLedger {
  /**
   * Claims the right to send one week's digest to one recipient until `leaseUntil` (the
   * claiming invocation's deadline). A claim still `sending` after its lease belonged to an
   * invocation that died mid-send and is taken over; otherwise the current state is returned.
   */
  claimDelivery(
    storyId: string,
    week: string,
    recipient: string,
    claim: { readonly claimedAt: string; readonly leaseUntil: string },
  ): Promise<DeliveryClaim>;
  markDelivered(storyId: string, week: string, recipient: string, messageId: string): Promise<void>;
  /** Closes a claim without sending: the reader had left when their turn came. */
  markSkipped(storyId: string, week: string, recipient: string, reason: string): Promise<void>;
  /** Gives a claim back after a failed send, so the next invocation retries that recipient. */
  releaseDelivery(storyId: string, week: string, recipient: string): Promise<void>;
  /** When the week's digest was first sent to anyone; undefined if it never was. */
  firstSentAt(storyId: string, week: string): Promise<string | undefined>;
}
