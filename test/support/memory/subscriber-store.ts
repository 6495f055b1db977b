import type { SubscriberStore } from '../../../lambdas/core/ports/subscriber-store.js';
import type { Subscriber, SubscriberStatus } from '../../../lambdas/core/subscribers/subscriber.js';

/** The SubscriberStore in memory, with the DynamoDB adapter's status rules. */
export class MemorySubscriberStore implements SubscriberStore {
  private readonly subscribers = new Map<string, Subscriber>();

  async addSubscriber(subscriber: Subscriber): Promise<Subscriber | undefined> {
    const known = this.subscribers.get(this.key(subscriber.storyId, subscriber.address));
    if (known) return known;
    this.subscribers.set(this.key(subscriber.storyId, subscriber.address), subscriber);
    return undefined;
  }

  async getSubscriber(storyId: string, address: string): Promise<Subscriber | undefined> {
    return this.subscribers.get(this.key(storyId, address));
  }

  async listSubscribers(storyId: string, status?: SubscriberStatus): Promise<Subscriber[]> {
    return [...this.subscribers.values()]
      .filter((s) => s.storyId === storyId && (status === undefined || s.status === status))
      .sort((a, b) => a.address.localeCompare(b.address));
  }

  async pageSubscribers(
    storyId: string,
    status: SubscriberStatus,
    page: { readonly after?: string | undefined; readonly limit: number },
  ): Promise<{ readonly addresses: readonly string[]; readonly next?: string }> {
    const all = (await this.listSubscribers(storyId, status))
      .map((subscriber) => subscriber.address)
      .filter((address) => page.after === undefined || address > page.after);
    const addresses = all.slice(0, page.limit);
    return all.length > page.limit ? { addresses, next: addresses.at(-1) ?? '' } : { addresses };
  }

  async unsubscribe(
    storyId: string,
    address: string,
    at: string,
  ): Promise<SubscriberStatus | undefined> {
    return this.change(storyId, address, at, ['active', 'pending'], {
      status: 'unsubscribed',
      unsubscribedAt: at,
    });
  }

  async requestConfirmation(
    storyId: string,
    address: string,
    at: string,
    resendAfter: string,
  ): Promise<{ send: boolean; previous: SubscriberStatus | undefined }> {
    const known = this.subscribers.get(this.key(storyId, address));
    const eligible =
      !known ||
      ((known.status === 'pending' || known.status === 'unsubscribed') &&
        (known.confirmationSentAt === undefined || known.confirmationSentAt < resendAfter));
    if (!eligible) return { send: false, previous: known.status };
    this.subscribers.set(this.key(storyId, address), {
      storyId,
      address,
      status: 'pending',
      createdAt: at,
      ...known,
      confirmationSentAt: at,
    });
    return { send: true, previous: known?.status };
  }

  async confirmSubscriber(
    storyId: string,
    address: string,
    at: string,
    issuedAt: string,
  ): Promise<{ confirmed: boolean; previous: SubscriberStatus | undefined }> {
    const known = this.subscribers.get(this.key(storyId, address));
    const eligible =
      !known ||
      known.status === 'pending' ||
      (known.status === 'unsubscribed' &&
        (known.unsubscribedAt === undefined || known.unsubscribedAt < issuedAt));
    if (!eligible) return { confirmed: false, previous: known.status };
    this.subscribers.set(this.key(storyId, address), {
      storyId,
      address,
      createdAt: at,
      ...known,
      status: 'active',
      confirmedAt: at,
    });
    return { confirmed: true, previous: known?.status };
  }

  async suppress(
    storyId: string,
    address: string,
    at: string,
    reason: string,
  ): Promise<SubscriberStatus | undefined> {
    return this.change(storyId, address, at, ['active', 'pending', 'unsubscribed'], {
      status: 'suppressed',
      suppressedAt: at,
      suppressionReason: reason,
    });
  }

  private change(
    storyId: string,
    address: string,
    at: string,
    from: readonly SubscriberStatus[],
    to: Partial<Subscriber> & { status: SubscriberStatus },
  ): SubscriberStatus | undefined {
    const known = this.subscribers.get(this.key(storyId, address));
    if (known && !from.includes(known.status)) return known.status;
    this.subscribers.set(this.key(storyId, address), {
      storyId,
      address,
      createdAt: at,
      ...known,
      ...to,
    });
    return known?.status;
  }

  private key(storyId: string, address: string): string {
    return `${storyId}#${address}`;
  }
}
