import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { HostPacer } from '../core/ports/http.js';
import { conditionHeld, documents } from './dynamo-documents.js';
import { hostPaceKey } from './table-layout.js';

const DAY_SECONDS = 86_400;

/**
 * Host pacing shared by every Lambda container through one item per host (`HOST#<host>`/`PACE`).
 * A free host is taken with a conditional write (next slot in the past → now); a busy one by an
 * atomic add to its next slot, whose previous value is this caller's slot. Either way two
 * callers never get slots closer than the delay, whatever the interleaving.
 */
export class DynamoHostPacer implements HostPacer {
  constructor(
    private readonly table: string,
    private readonly now: () => number = Date.now,
  ) {}

  async reserve(host: string, delayMs: number): Promise<number> {
    const key = hostPaceKey(host);
    const now = this.now();
    const expiresAt = Math.floor(now / 1000) + DAY_SECONDS;
    const booked = await conditionHeld(
      documents.send(
        new UpdateCommand({
          TableName: this.table,
          Key: key,
          UpdateExpression: 'SET nextAt = :next, expiresAt = :expires',
          ConditionExpression: 'attribute_not_exists(nextAt) OR nextAt <= :now',
          ExpressionAttributeValues: { ':next': now + delayMs, ':now': now, ':expires': expiresAt },
        }),
      ),
    );
    if (booked) return now;
    const later = await documents.send(
      new UpdateCommand({
        TableName: this.table,
        Key: key,
        UpdateExpression: 'SET expiresAt = :expires ADD nextAt :delay',
        ExpressionAttributeValues: { ':delay': delayMs, ':expires': expiresAt },
        ReturnValues: 'UPDATED_OLD',
      }),
    );
    return Math.max(now, Number(later.Attributes?.nextAt ?? now));
  }
}
