import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { SubscriberStore } from '../core/ports/subscriber-store.js';
import type { Subscriber, SubscriberStatus } from '../core/subscribers/subscriber.js';
import { conditionHeld, documents, queryAll, withoutKeys } from './dynamo-documents.js';
import { subscriberKey, subscribersPartition } from './table-layout.js';

/** Subscribers in the single table: `SUBSCRIBERS#<story>` / `ADDRESS#<address>`. */
export class DynamoSubscriberStore implements SubscriberStore {
  constructor(private readonly table: string) {}

  async addSubscriber(subscriber: Subscriber): Promise<Subscriber | undefined> {
    const added = await conditionHeld(
      documents.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...subscriberKey(subscriber.storyId, subscriber.address), ...subscriber },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
    return added ? undefined : this.getSubscriber(subscriber.storyId, subscriber.address);
  }

  async getSubscriber(storyId: string, address: string): Promise<Subscriber | undefined> {
    const result = await documents.send(
      new GetCommand({
        TableName: this.table,
        Key: subscriberKey(storyId, address),
        ConsistentRead: true,
      }),
    );
    return result.Item ? (withoutKeys(result.Item) as unknown as Subscriber) : undefined;
  }

  async listSubscribers(storyId: string, status?: SubscriberStatus): Promise<Subscriber[]> {
    const items = await queryAll({
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk',
      ...(status
        ? {
            FilterExpression: '#status = :status',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':pk': subscribersPartition(storyId), ':status': status },
          }
        : { ExpressionAttributeValues: { ':pk': subscribersPartition(storyId) } }),
      // A subscriber who just unsubscribed must not be in the list the digest reads next.
      ConsistentRead: true,
    });
    return items.map(withoutKeys) as unknown as Subscriber[];
  }

  async pageSubscribers(
    storyId: string,
    status: SubscriberStatus,
    page: { readonly after?: string | undefined; readonly limit: number },
  ): Promise<{ readonly addresses: readonly string[]; readonly next?: string }> {
    const addresses: string[] = [];
    let startKey: Record<string, unknown> | undefined = page.after
      ? { ...subscriberKey(storyId, page.after) }
      : undefined;
    // Limit counts the items read, before the status filter: read on until the page is full.
    do {
      const result = await documents.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk',
          FilterExpression: '#status = :status',
          ProjectionExpression: 'address',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':pk': subscribersPartition(storyId), ':status': status },
          ExclusiveStartKey: startKey,
          Limit: page.limit - addresses.length,
          // Someone who unsubscribed a moment ago must not be queued.
          ConsistentRead: true,
        }),
      );
      for (const item of result.Items ?? []) addresses.push(String(item.address));
      startKey = result.LastEvaluatedKey;
    } while (startKey && addresses.length < page.limit);
    const last = startKey ? String(startKey.sk).replace(/^ADDRESS#/, '') : undefined;
    return last === undefined ? { addresses } : { addresses, next: last };
  }

  async unsubscribe(
    storyId: string,
    address: string,
    at: string,
  ): Promise<SubscriberStatus | undefined> {
    return this.changeStatus(storyId, address, {
      set: 'unsubscribedAt = :at',
      values: { ':status': 'unsubscribed', ':at': at },
      // Already unsubscribed keeps its first date; suppressed stays suppressed.
      from: ['active', 'pending'],
    });
  }

  async requestConfirmation(
    storyId: string,
    address: string,
    at: string,
    resendAfter: string,
  ): Promise<{ send: boolean; previous: SubscriberStatus | undefined }> {
    const { changed, previous } = await this.conditionalUpdate(storyId, address, {
      UpdateExpression:
        'SET #status = if_not_exists(#status, :pending), storyId = :story, address = :address, createdAt = if_not_exists(createdAt, :at), confirmationSentAt = :at',
      // One link an hour at most, and none to an active or suppressed address.
      ConditionExpression:
        'attribute_not_exists(pk) OR (#status IN (:pending, :unsubscribed) AND (attribute_not_exists(confirmationSentAt) OR confirmationSentAt < :resendAfter))',
      ExpressionAttributeValues: {
        ':pending': 'pending',
        ':unsubscribed': 'unsubscribed',
        ':story': storyId,
        ':address': address,
        ':at': at,
        ':resendAfter': resendAfter,
      },
    });
    return { send: changed, previous };
  }

  async confirmSubscriber(
    storyId: string,
    address: string,
    at: string,
    issuedAt: string,
  ): Promise<{ confirmed: boolean; previous: SubscriberStatus | undefined }> {
    const { changed, previous } = await this.conditionalUpdate(storyId, address, {
      UpdateExpression:
        'SET #status = :active, confirmedAt = :at, storyId = :story, address = :address, createdAt = if_not_exists(createdAt, :at)',
      ConditionExpression:
        'attribute_not_exists(pk) OR #status = :pending OR (#status = :unsubscribed AND (attribute_not_exists(unsubscribedAt) OR unsubscribedAt < :issuedAt))',
      ExpressionAttributeValues: {
        ':active': 'active',
        ':pending': 'pending',
        ':unsubscribed': 'unsubscribed',
        ':story': storyId,
        ':address': address,
        ':at': at,
        ':issuedAt': issuedAt,
      },
    });
    return { confirmed: changed, previous };
  }

  /**
   * A conditional change of a subscriber's item, and the status it had: the one before the change,
   * or, when the condition refused it, the one it has.
   */
  private async conditionalUpdate(
    storyId: string,
    address: string,
    update: {
      readonly UpdateExpression: string;
      readonly ConditionExpression: string;
      readonly ExpressionAttributeValues: Record<string, string>;
    },
  ): Promise<{ changed: boolean; previous: SubscriberStatus | undefined }> {
    try {
      const result = await documents.send(
        new UpdateCommand({
          TableName: this.table,
          Key: subscriberKey(storyId, address),
          ...update,
          ExpressionAttributeNames: { '#status': 'status' },
          ReturnValues: 'ALL_OLD',
        }),
      );
      return { changed: true, previous: result.Attributes?.status as SubscriberStatus | undefined };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      return { changed: false, previous: (await this.getSubscriber(storyId, address))?.status };
    }
  }

  async suppress(
    storyId: string,
    address: string,
    at: string,
    reason: string,
  ): Promise<SubscriberStatus | undefined> {
    return this.changeStatus(storyId, address, {
      set: 'suppressedAt = :at, suppressionReason = :reason',
      values: { ':status': 'suppressed', ':at': at, ':reason': reason },
      from: ['active', 'pending', 'unsubscribed'],
    });
  }

  /**
   * Moves a known address from one of `from` to the new status, or records an unknown one
   * directly in it; returns the status it had (unchanged when it was in none of `from`).
   */
  private async changeStatus(
    storyId: string,
    address: string,
    change: { set: string; values: Record<string, string>; from: readonly SubscriberStatus[] },
  ): Promise<SubscriberStatus | undefined> {
    const fromValues = Object.fromEntries(change.from.map((status, i) => [`:from${i}`, status]));
    const { previous } = await this.conditionalUpdate(storyId, address, {
      UpdateExpression: `SET #status = :status, ${change.set}, storyId = :story, address = :address, createdAt = if_not_exists(createdAt, :at)`,
      ConditionExpression: `attribute_not_exists(pk) OR #status IN (${Object.keys(fromValues).join(', ')})`,
      ExpressionAttributeValues: {
        ...change.values,
        ...fromValues,
        ':story': storyId,
        ':address': address,
      },
    });
    return previous;
  }
}
