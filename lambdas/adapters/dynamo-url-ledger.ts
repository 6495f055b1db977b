import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { FetchRequest } from '../core/ports/fetch-queue.js';
import type { UrlLedger } from '../core/ports/url-ledger.js';
import { conditionHeld, documents } from './dynamo-documents.js';
import { urlKey } from './table-layout.js';

/** Seen URLs: one item per canonical URL, claimed with a conditional put. */
export class DynamoUrlLedger implements UrlLedger {
  constructor(private readonly table: string) {}

  async claimUrl(request: FetchRequest, foundAt: string = request.url): Promise<boolean> {
    // The claim names its request: the same request claiming again (the SDK retrying a put whose
    // answer was lost, a redelivered message whose first attempt died) is granted it again.
    const claim = `${request.sourceId} ${request.firstSeenAt} ${foundAt}`;
    return conditionHeld(
      documents.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...urlKey(request.url), ...request, claim },
          ConditionExpression: 'attribute_not_exists(pk) OR claim = :claim',
          ExpressionAttributeValues: { ':claim': claim },
        }),
      ),
    );
  }

  async isKnownUrl(url: string): Promise<boolean> {
    const result = await documents.send(
      new GetCommand({ TableName: this.table, Key: urlKey(url), ProjectionExpression: 'pk' }),
    );
    return result.Item !== undefined;
  }

  async markUrl(url: string, status: 'skipped', reason: string): Promise<void> {
    await documents.send(
      new UpdateCommand({
        TableName: this.table,
        Key: urlKey(url),
        UpdateExpression: 'SET #status = :status, reason = :reason',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':status': status, ':reason': reason },
      }),
    );
  }

  async releaseUrl(url: string): Promise<void> {
    await documents.send(new DeleteCommand({ TableName: this.table, Key: urlKey(url) }));
  }
}
