import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { SendRate } from '../core/ports/send-rate.js';
import { conditionHeld, documents } from './dynamo-documents.js';
import { sendRateKey } from './table-layout.js';

const DAY_SECONDS = 86_400;

/**
 * The story's SES send slots, shared by every sender container through one item (the way
 * DynamoHostPacer shares a host's request slots): `nextAt`, the first free slot. A free item
 * (next slot in the past) is taken with a conditional write that sets it to now + count slots;
 * a busy one by an atomic add, whose previous value is this caller's first slot. Either way
 * no two callers get overlapping slots, whatever the interleaving: one write per reservation.
 */
export class DynamoSendRate implements SendRate {
  constructor(
    private readonly table: string,
    private readonly storyId: string,
    private readonly now: () => number = Date.now,
  ) {}

  async reserve(count: number, intervalMs: number): Promise<number> {
    const key = sendRateKey(this.storyId);
    const now = this.now();
    const span = count * intervalMs;
    const expiresAt = Math.floor(now / 1000) + DAY_SECONDS;
    try {
      await documents.send(
        new UpdateCommand({
          TableName: this.table,
          Key: key,
          UpdateExpression: 'SET nextAt = :next, expiresAt = :expires',
          ConditionExpression: 'attribute_not_exists(nextAt) OR nextAt <= :now',
          ExpressionAttributeValues: { ':next': now + span, ':now': now, ':expires': expiresAt },
        }),
      );
      return now;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    const { Attributes: before } = await documents.send(
      new UpdateCommand({
        TableName: this.table,
        Key: key,
        UpdateExpression: 'SET expiresAt = :expires ADD nextAt :span',
        ExpressionAttributeValues: { ':span': span, ':expires': expiresAt },
        ReturnValues: 'UPDATED_OLD',
      }),
    );
    return Math.max(now, Number(before?.nextAt ?? now));
  }

  async pause(until: number): Promise<void> {
    // Only forward: a pause never hands out slots that were already given to someone else.
    await conditionHeld(
      documents.send(
        new UpdateCommand({
          TableName: this.table,
          Key: sendRateKey(this.storyId),
          UpdateExpression: 'SET nextAt = :until, expiresAt = :expires',
          ConditionExpression: 'attribute_not_exists(nextAt) OR nextAt < :until',
          ExpressionAttributeValues: {
            ':until': until,
            ':expires': Math.floor(until / 1000) + DAY_SECONDS,
          },
        }),
      ),
    );
  }
}
