import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DeliveryCounts, DeliveryRun, DeliveryRuns } from '../core/ports/delivery-runs.js';
import { conditionHeld, documents } from './dynamo-documents.js';
import { deliveryRunKey } from './table-layout.js';

/** A week's delivery run: one item beside the week's ledger (`DIGEST#<story>#<week>` / `RUN`). */
export class DynamoDeliveryRuns implements DeliveryRuns {
  constructor(private readonly table: string) {}

  async get(storyId: string, week: string): Promise<DeliveryRun | undefined> {
    const { Item } = await documents.send(
      new GetCommand({
        TableName: this.table,
        Key: deliveryRunKey(storyId, week),
        ConsistentRead: true,
      }),
    );
    if (!Item) return undefined;
    return {
      queued: Number(Item.queued ?? 0),
      sent: Number(Item.sent ?? 0),
      suppressed: Number(Item.suppressed ?? 0),
      failed: Number(Item.failed ?? 0),
      complete: Item.complete === true,
      ...(typeof Item.cursor === 'string' ? { cursor: Item.cursor } : {}),
      ...(typeof Item.startedAt === 'string' ? { startedAt: Item.startedAt } : {}),
    };
  }

  async advance(
    storyId: string,
    week: string,
    step: {
      readonly from: string | undefined;
      readonly cursor: string | undefined;
      readonly queued: number;
      readonly complete: boolean;
      readonly at: string;
    },
  ): Promise<boolean> {
    const values: Record<string, unknown> = {
      ':queued': step.queued,
      ':complete': step.complete,
      ':at': step.at,
    };
    if (step.from !== undefined) values[':from'] = step.from;
    if (step.cursor !== undefined) values[':cursor'] = step.cursor;
    return conditionHeld(
      documents.send(
        new UpdateCommand({
          TableName: this.table,
          Key: deliveryRunKey(storyId, week),
          UpdateExpression: `SET ${step.cursor !== undefined ? '#cursor = :cursor, ' : ''}#complete = :complete, #startedAt = if_not_exists(#startedAt, :at) ADD #queued :queued`,
          // Only from where this run read: a concurrent run that moved on queued this page too.
          ConditionExpression:
            step.from === undefined
              ? 'attribute_not_exists(#cursor) AND (attribute_not_exists(#complete) OR #complete = :false)'
              : '#cursor = :from',
          // Every name through a placeholder: several are DynamoDB reserved words.
          ExpressionAttributeNames: {
            '#cursor': 'cursor',
            '#complete': 'complete',
            '#startedAt': 'startedAt',
            '#queued': 'queued',
          },
          ExpressionAttributeValues:
            step.from === undefined ? { ...values, ':false': false } : values,
        }),
      ),
    );
  }

  async count(
    storyId: string,
    week: string,
    counts: Partial<Pick<DeliveryCounts, 'sent' | 'suppressed' | 'failed'>>,
  ): Promise<void> {
    const entries = Object.entries(counts).filter(([, value]) => value);
    if (entries.length === 0) return;
    await documents.send(
      new UpdateCommand({
        TableName: this.table,
        Key: deliveryRunKey(storyId, week),
        UpdateExpression: `ADD ${entries.map(([name]) => `#${name} :${name}`).join(', ')}`,
        ExpressionAttributeNames: Object.fromEntries(entries.map(([name]) => [`#${name}`, name])),
        ExpressionAttributeValues: Object.fromEntries(
          entries.map(([name, value]) => [`:${name}`, value]),
        ),
      }),
    );
  }
}
