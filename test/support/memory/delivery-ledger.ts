import type { DeliveryClaim, DeliveryLedger } from '../../../lambdas/core/ports/delivery-ledger.js';

interface Delivery {
  status: 'sending' | 'sent' | 'skipped';
  claimedAt: string;
  leaseUntil: string;
  messageId?: string;
}

export class MemoryDeliveryLedger implements DeliveryLedger {
  /** "<story>#<week>#<recipient>" → its delivery. */
  readonly deliveries = new Map<string, Delivery>();

  async claimDelivery(
    storyId: string,
    week: string,
    recipient: string,
    claim: { readonly claimedAt: string; readonly leaseUntil: string },
  ): Promise<DeliveryClaim> {
    const key = this.key(storyId, week, recipient);
    const held = this.deliveries.get(key);
    if (!held || (held.status === 'sending' && held.leaseUntil < claim.claimedAt)) {
      this.deliveries.set(key, { status: 'sending', ...claim });
      return { claimed: true };
    }
    return held.status === 'sending'
      ? { claimed: false, status: 'sending', leaseUntil: held.leaseUntil }
      : { claimed: false, status: held.status };
  }

  async markDelivered(
    storyId: string,
    week: string,
    recipient: string,
    messageId: string,
  ): Promise<void> {
    const key = this.key(storyId, week, recipient);
    const held = this.deliveries.get(key);
    if (held) this.deliveries.set(key, { ...held, status: 'sent', messageId });
  }

  async markSkipped(storyId: string, week: string, recipient: string): Promise<void> {
    const key = this.key(storyId, week, recipient);
    const held = this.deliveries.get(key);
    if (held) this.deliveries.set(key, { ...held, status: 'skipped' });
  }

  async releaseDelivery(storyId: string, week: string, recipient: string): Promise<void> {
    this.deliveries.delete(this.key(storyId, week, recipient));
  }

  async firstSentAt(storyId: string, week: string): Promise<string | undefined> {
    const prefix = this.key(storyId, week, '');
    return [...this.deliveries]
      .filter(([key, delivery]) => key.startsWith(prefix) && delivery.status === 'sent')
      .map(([, delivery]) => delivery.claimedAt)
      .sort()[0];
  }

  private key(storyId: string, week: string, recipient: string): string {
    return `${storyId}#${week}#${recipient.toLowerCase()}`;
  }
}
