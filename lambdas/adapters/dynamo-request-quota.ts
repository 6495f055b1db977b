import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { RequestQuota } from '../core/ports/request-quota.js';
import { documents } from './dynamo-documents.js';
import { signUpSourceKey, TABLE_LAYOUT } from './table-layout.js';

/** How long after its window a count is kept before DynamoDB's TTL removes it. */
const KEEP_AFTER_WINDOW_S = 3600;

/**
 * Sign-up requests per source and window in the single table (`SIGNUP-SOURCES#<story>`): one
 * conditional update per request, which both counts and refuses, so concurrent requests cannot
 * exceed the limit together.
 */
export class DynamoRequestQuota implements RequestQuota {
  constructor(private readonly table: string) {}

  async admit(
    storyId: string,
    source: string,
    window: { readonly start: string; readonly end: string },
    limit: number,
  ): Promise<boolean> {
    try {
      await documents.send(
        new UpdateCommand({
          TableName: this.table,
          Key: signUpSourceKey(storyId, window.start, source),
          UpdateExpression: 'ADD requests :one SET #expires = :expires',
          ConditionExpression: 'attribute_not_exists(requests) OR requests < :limit',
          ExpressionAttributeNames: { '#expires': TABLE_LAYOUT.timeToLiveAttribute },
          ExpressionAttributeValues: {
            ':one': 1,
            ':limit': limit,
            ':expires': Math.floor(Date.parse(window.end) / 1000) + KEEP_AFTER_WINDOW_S,
          },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
