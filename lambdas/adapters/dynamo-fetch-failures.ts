import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { FetchFailure, FetchFailures } from '../core/ports/fetch-failures.js';
import { documents } from './dynamo-documents.js';
import { fetchFailureKey } from './table-layout.js';

/** One item per URL that failed, beside its claim: the last reason, when, and how often. */
export class DynamoFetchFailures implements FetchFailures {
  constructor(private readonly table: string) {}

  async recordFailure(url: string, reason: string, at: string): Promise<void> {
    await documents.send(
      new UpdateCommand({
        TableName: this.table,
        Key: fetchFailureKey(url),
        UpdateExpression: 'SET reason = :reason, failedAt = :at ADD attempts :one',
        ExpressionAttributeValues: { ':reason': reason, ':at': at, ':one': 1 },
      }),
    );
  }

  async lastFailure(url: string): Promise<FetchFailure | undefined> {
    const { Item } = await documents.send(
      new GetCommand({ TableName: this.table, Key: fetchFailureKey(url) }),
    );
    if (!Item) return undefined;
    return {
      reason: String(Item.reason),
      failedAt: String(Item.failedAt),
      attempts: Number(Item.attempts ?? 1),
    };
  }
}
