import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { HostFailures, HostPacer, HostTurn } from '../core/ports/http.js';
import { conditionHeld, documents } from './dynamo-documents.js';
import { hostPaceKey } from './table-layout.js';

const DAY_SECONDS = 86_400;
/** A host closed now stays closed: reading its reason is the rare path. */
const OPEN = 'attribute_not_exists(closedUntil) OR closedUntil <= :now';

/**
 * Each host's pacing state, shared by every Lambda container through one item per host
 * (`HOST#<host>`/`PACE`): the next start slot, the failure count, and a pause (`closedUntil`,
 * `closedReason`) set by a long Retry-After or by giving up on a failing host.
 *
 * A free host is taken with a conditional write (next slot in the past → now); a busy one by an
 * atomic add to its next slot, whose previous value is this caller's slot. Either way two
 * callers never get slots closer than the delay, whatever the interleaving, and a closed host
 * gets no slot. The item expires a day after its last use (or its pause).
 */
export class DynamoHostPacer implements HostPacer {
  constructor(
    private readonly table: string,
    private readonly now: () => number = Date.now,
  ) {}

  async reserve(host: string, delayMs: number): Promise<HostTurn> {
    const key = hostPaceKey(host);
    const now = this.now();
    const expiresAt = Math.floor(now / 1000) + DAY_SECONDS;
    try {
      const { Attributes: taken } = await documents.send(
        new UpdateCommand({
          TableName: this.table,
          Key: key,
          UpdateExpression: 'SET nextAt = :next, expiresAt = :expires',
          ConditionExpression: `(${OPEN}) AND (attribute_not_exists(nextAt) OR nextAt <= :now)`,
          ExpressionAttributeValues: { ':next': now + delayMs, ':now': now, ':expires': expiresAt },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return { at: now, failing: Number(taken?.failStreak ?? 0) > 0 };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    try {
      const { Attributes: before } = await documents.send(
        new UpdateCommand({
          TableName: this.table,
          Key: key,
          UpdateExpression: 'SET expiresAt = :expires ADD nextAt :delay',
          ConditionExpression: OPEN,
          ExpressionAttributeValues: { ':delay': delayMs, ':expires': expiresAt, ':now': now },
          ReturnValues: 'ALL_OLD',
        }),
      );
      return {
        at: Math.max(now, Number(before?.nextAt ?? now)),
        failing: Number(before?.failStreak ?? 0) > 0,
      };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    const { Item: closed } = await documents.send(
      new GetCommand({ TableName: this.table, Key: key, ConsistentRead: true }),
    );
    return {
      closedUntil: Number(closed?.closedUntil ?? now),
      reason: String(closed?.closedReason ?? 'closed'),
    };
  }

  async failed(host: string, at: number): Promise<HostFailures> {
    const { Attributes: after } = await documents.send(
      new UpdateCommand({
        TableName: this.table,
        Key: hostPaceKey(host),
        UpdateExpression: 'SET expiresAt = :expires, lastFailedAt = :at ADD failStreak :one',
        ExpressionAttributeValues: {
          ':one': 1,
          ':at': at,
          ':expires': Math.floor(at / 1000) + DAY_SECONDS,
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return {
      streak: Number(after?.failStreak ?? 1),
      ...(after?.recoveredAt !== undefined ? { lastRecoveredAt: Number(after.recoveredAt) } : {}),
    };
  }

  async recovered(host: string, at: number): Promise<void> {
    await documents.send(
      new UpdateCommand({
        TableName: this.table,
        Key: hostPaceKey(host),
        UpdateExpression: 'SET failStreak = :zero, recoveredAt = :at',
        ExpressionAttributeValues: { ':zero': 0, ':at': at },
      }),
    );
  }

  async close(host: string, until: number, reason: string): Promise<void> {
    // The longest pause wins: a shorter one arriving later does not cut it.
    await conditionHeld(
      documents.send(
        new UpdateCommand({
          TableName: this.table,
          Key: hostPaceKey(host),
          UpdateExpression:
            'SET closedUntil = :until, closedReason = :reason, expiresAt = :expires',
          ConditionExpression: 'attribute_not_exists(closedUntil) OR closedUntil < :until',
          ExpressionAttributeValues: {
            ':until': until,
            ':reason': reason,
            ':expires': Math.floor(until / 1000) + DAY_SECONDS,
          },
        }),
      ),
    );
  }
}
