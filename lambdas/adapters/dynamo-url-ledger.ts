import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { FetchRequest } from '../core/ports/fetch-queue.js';
import type { UrlClaimOptions, UrlLedger } from '../core/ports/url-ledger.js';
import { conditionHeld, documents } from './dynamo-documents.js';
import { urlKey } from './table-layout.js';

/** Claims confirmed at once: their round trips overlap without a burst of thousands. */
const CONFIRMS_AT_ONCE = 25;

/**
 * Seen URLs: one item per canonical URL, claimed with a conditional put. A discovery claim is
 * pending (`pendingUntil`, its run's deadline) until its request is queued.
 */
export class DynamoUrlLedger implements UrlLedger {
  constructor(private readonly table: string) {}

  async claimUrl(request: FetchRequest, options: UrlClaimOptions = {}): Promise<boolean> {
    // The claim names its request: the same request claiming again (the SDK retrying a put whose
    // answer was lost, a redelivered message whose first attempt died) is granted it again.
    const claim = claimOf(request, options.foundAt);
    return conditionHeld(
      documents.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...urlKey(request.url),
            ...request,
            claim,
            ...(options.leaseUntil ? { pendingUntil: options.leaseUntil } : {}),
          },
          // A pending claim whose lease ended before this request found the URL: its run died
          // between claiming and queueing, and the URL would otherwise be lost for good.
          ConditionExpression:
            'attribute_not_exists(pk) OR claim = :claim OR pendingUntil < :foundAt',
          ExpressionAttributeValues: { ':claim': claim, ':foundAt': request.firstSeenAt },
        }),
      ),
    );
  }

  async confirmUrls(requests: readonly FetchRequest[]): Promise<void> {
    for (let start = 0; start < requests.length; start += CONFIRMS_AT_ONCE) {
      await Promise.all(
        requests.slice(start, start + CONFIRMS_AT_ONCE).map((request) =>
          // Not ours any more (our lease ended and another run took the URL over): left alone.
          conditionHeld(
            documents.send(
              new UpdateCommand({
                TableName: this.table,
                Key: urlKey(request.url),
                UpdateExpression: 'REMOVE pendingUntil',
                ConditionExpression: 'claim = :claim',
                ExpressionAttributeValues: { ':claim': claimOf(request) },
              }),
            ),
          ),
        ),
      );
    }
  }

  async isKnownUrl(request: FetchRequest): Promise<boolean> {
    const { Item } = await documents.send(
      new GetCommand({
        TableName: this.table,
        Key: urlKey(request.url),
        ProjectionExpression: 'pk, pendingUntil',
      }),
    );
    if (!Item) return false;
    return !(typeof Item.pendingUntil === 'string' && Item.pendingUntil < request.firstSeenAt);
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

  async releaseUrl(request: FetchRequest): Promise<void> {
    await conditionHeld(
      documents.send(
        new DeleteCommand({
          TableName: this.table,
          Key: urlKey(request.url),
          // Only our own claim, and only while pending: a URL taken over is someone else's now.
          ConditionExpression: 'claim = :claim AND attribute_exists(pendingUntil)',
          ExpressionAttributeValues: { ':claim': claimOf(request) },
        }),
      ),
    );
  }
}

/** The request's name on its claim: source, first-seen time and where it found the URL. */
function claimOf(request: FetchRequest, foundAt: string = request.url): string {
  return `${request.sourceId} ${request.firstSeenAt} ${foundAt}`;
}
