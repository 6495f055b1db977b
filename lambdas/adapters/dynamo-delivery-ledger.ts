import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DeliveryClaim, DeliveryLedger } from '../core/ports/delivery-ledger.js';
import { conditionHeld, documents, queryAll } from './dynamo-documents.js';
import { deliveryKey } from './table-layout.js';

/** One partition per story and week, one item per recipient: `sending` (leased), then `sent`. */
export class DynamoDeliveryLedger implements DeliveryLedger {
  constructor(private readonly table: string) {}

  async claimDelivery(
    storyId: string,
    week: string,
    recipient: string,
    claim: { readonly claimedAt: string; readonly leaseUntil: string },
  ): Promise<DeliveryClaim> {
    const key = deliveryKey(storyId, week, recipient);
    const claimed = await conditionHeld(
      documents.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...key, status: 'sending', ...claim },
          // New, or left `sending` by an invocation whose deadline has passed (it died mid-send).
          ConditionExpression:
            'attribute_not_exists(pk) OR (#status = :sending AND leaseUntil < :claimedAt)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':sending': 'sending', ':claimedAt': claim.claimedAt },
        }),
      ),
    );
    if (claimed) return { claimed: true };
    const { Item: held } = await documents.send(
      new GetCommand({ TableName: this.table, Key: key, ConsistentRead: true }),
    );
    if (held?.status === 'sending' && typeof held.leaseUntil === 'string') {
      return { claimed: false, status: 'sending', leaseUntil: held.leaseUntil };
    }
    if (held?.status === 'skipped') return { claimed: false, status: 'skipped' };
    // `sent`, or a claim from before leases were recorded: never sent again.
    return { claimed: false, status: 'sent' };
  }

  async markDelivered(
    storyId: string,
    week: string,
    recipient: string,
    messageId: string,
  ): Promise<void> {
    await documents.send(
      new UpdateCommand({
        TableName: this.table,
        Key: deliveryKey(storyId, week, recipient),
        UpdateExpression: 'SET #status = :sent, messageId = :messageId',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':sent': 'sent', ':messageId': messageId },
      }),
    );
  }

  async markSkipped(storyId: string, week: string, recipient: string, reason: string) {
    await documents.send(
      new UpdateCommand({
        TableName: this.table,
        Key: deliveryKey(storyId, week, recipient),
        UpdateExpression: 'SET #status = :skipped, reason = :reason',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':skipped': 'skipped', ':reason': reason },
      }),
    );
  }

  async releaseDelivery(storyId: string, week: string, recipient: string): Promise<void> {
    await documents.send(
      new DeleteCommand({ TableName: this.table, Key: deliveryKey(storyId, week, recipient) }),
    );
  }

  async firstSentAt(storyId: string, week: string): Promise<string | undefined> {
    const deliveries = await queryAll({
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk',
      FilterExpression: '#status = :sent',
      ProjectionExpression: 'claimedAt',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':pk': deliveryKey(storyId, week, '').pk, ':sent': 'sent' },
    });
    return deliveries.map((delivery) => String(delivery.claimedAt)).sort()[0];
  }
}
