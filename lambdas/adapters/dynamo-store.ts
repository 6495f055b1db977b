import {
  ConditionalCheckFailedException,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { daySpan } from '../core/4-extract/temporal.js';
import type { DevelopmentReport } from '../core/5-cluster/developments.js';
import type { Fingerprint } from '../core/5-cluster/near-duplicates.js';
import type { ArticleCounts, ArticleOutcome } from '../core/6-digest/coverage.js';
import type { StrandLatest } from '../core/6-digest/story-status.js';
import type {
  Article,
  Development,
  DevelopmentSource,
  EventType,
  StoryEvent,
} from '../core/model/records.js';
import type { DeliveryClaim, FetchRequest, SourceState, StoryStore } from '../core/ports/ports.js';
import { conditionHeld, documents } from './dynamo-documents.js';
import { TABLE_LAYOUT } from './table-layout.js';

const BATCH = 25; // BatchWriteItem's limit

/**
 * Single-table layout (pk / sk):
 *   URL#<canonical url>            URL             seen URLs (conditional put = dedupe)
 *   SOURCE#<story>#<source>        STATE           conditional-GET validators and health
 *   ARTICLE#<id>                   ARTICLE         article metadata (text lives in S3)
 *   ARTICLE#<id>                   EVENT#<nnn>     extracted events
 *   DEV#<id>                       DEV             development; gsi1 = STORY#<story>#DEV / <firstReportedAt>#<id>
 *   DEV#<id>                       SOURCE#<article> one report of the development
 *   FP#<story>                     <publishedAt>#<article> near-duplicate fingerprint
 *   DIGEST#<story>#<week>          TO#<email>      delivery ledger (sending until leaseUntil | sent)
 *   SUBSCRIBERS#<story>            ADDRESS#<email> subscriber (dynamo-subscribers.ts)
 *   COVERAGE#<story>               <week>          articles read that week, counted by outcome
 *   COVERAGE#<story>               ARTICLE#<id>    the article's outcome, counted (once) in <week>
 *   TIMELINE#<story>               LATEST          the latest year with a timeline page
 *   TYPE#<story>#<type>            <first day>#<dev> a development by type and date (status box)
 *   AMOUNT#<story>#<type>          <first day>#<dev> a sum of money a development of the type named
 */
export class DynamoStore implements StoryStore {
  constructor(private readonly table: string) {}

  async claimUrl(request: FetchRequest, foundAt: string = request.url): Promise<boolean> {
    // The claim names its request: the same request claiming again (the SDK retrying a put whose
    // answer was lost, a redelivered message whose first attempt died) is granted it again.
    const claim = `${request.sourceId} ${request.firstSeenAt} ${foundAt}`;
    return conditionHeld(
      documents.send(
        new PutCommand({
          TableName: this.table,
          Item: { pk: `URL#${request.url}`, sk: 'URL', ...request, claim },
          ConditionExpression: 'attribute_not_exists(pk) OR claim = :claim',
          ExpressionAttributeValues: { ':claim': claim },
        }),
      ),
    );
  }

  async isKnownUrl(url: string): Promise<boolean> {
    const result = await documents.send(
      new GetCommand({
        TableName: this.table,
        Key: { pk: `URL#${url}`, sk: 'URL' },
        ProjectionExpression: 'pk',
      }),
    );
    return result.Item !== undefined;
  }

  async markUrl(url: string, status: 'skipped', reason: string): Promise<void> {
    await documents.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { pk: `URL#${url}`, sk: 'URL' },
        UpdateExpression: 'SET #status = :status, reason = :reason',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':status': status, ':reason': reason },
      }),
    );
  }

  async releaseUrl(url: string): Promise<void> {
    await documents.send(
      new DeleteCommand({ TableName: this.table, Key: { pk: `URL#${url}`, sk: 'URL' } }),
    );
  }

  async getSourceState(storyId: string, sourceId: string): Promise<SourceState | undefined> {
    const result = await documents.send(
      new GetCommand({
        TableName: this.table,
        Key: { pk: `SOURCE#${storyId}#${sourceId}`, sk: 'STATE' },
      }),
    );
    if (!result.Item) return undefined;
    const { pk: _pk, sk: _sk, ...state } = result.Item;
    return state as SourceState;
  }

  async putSourceState(state: SourceState): Promise<void> {
    await documents.send(
      new PutCommand({
        TableName: this.table,
        Item: { pk: `SOURCE#${state.storyId}#${state.sourceId}`, sk: 'STATE', ...state },
      }),
    );
  }

  async putArticle(article: Article): Promise<void> {
    const { text: _text, ...metadata } = article;
    await documents.send(
      new PutCommand({
        TableName: this.table,
        Item: { pk: `ARTICLE#${article.id}`, sk: 'ARTICLE', ...metadata },
      }),
    );
  }

  async putFingerprint(storyId: string, fingerprint: Fingerprint): Promise<void> {
    await documents.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          pk: `FP#${storyId}`,
          sk: `${fingerprint.publishedAt}#${fingerprint.articleId}`,
          ...fingerprint,
        },
      }),
    );
  }

  async fingerprintsBetween(storyId: string, from: string, to: string): Promise<Fingerprint[]> {
    const items = await this.queryAll({
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      // sk is "<instant>#<id>": "$" sorts after "#", so articles published at `to` are in.
      ExpressionAttributeValues: { ':pk': `FP#${storyId}`, ':from': from, ':to': `${to}$` },
    });
    return items.map(
      ({ pk: _pk, sk: _sk, ...fingerprint }) => fingerprint as unknown as Fingerprint,
    );
  }

  async replaceEvents(articleId: string, events: readonly StoryEvent[]): Promise<void> {
    const pk = `ARTICLE#${articleId}`;
    const existing = await this.queryAll({
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': pk, ':prefix': 'EVENT#' },
      ProjectionExpression: 'sk',
    });
    const keep = new Set(events.map((event) => eventSortKey(event)));
    const deletes = existing
      .map((item) => String(item.sk))
      .filter((sk) => !keep.has(sk))
      .map((sk) => ({ DeleteRequest: { Key: { pk, sk } } }));
    const puts = events.map((event) => ({
      PutRequest: { Item: { pk, sk: eventSortKey(event), ...event } },
    }));
    await this.batchWrite([...puts, ...deletes]);
  }

  async recordDevelopment(report: DevelopmentReport): Promise<boolean> {
    const { development, source } = report;
    const pk = `DEV#${development.id}`;
    await documents.send(
      new PutCommand({
        TableName: this.table,
        Item: { pk, sk: `SOURCE#${source.articleId}`, ...source },
      }),
    );
    await this.indexByType(report);
    try {
      // Created by the first report; rewritten only by a report published earlier, so the
      // development keeps the week (and wording) of its first report whatever the fetch order.
      const { Attributes: previous } = await documents.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            pk,
            sk: 'DEV',
            ...development,
            gsi1pk: developmentsKey(development.storyId),
            gsi1sk: `${development.firstReportedAt}#${development.id}`,
          },
          ConditionExpression: 'attribute_not_exists(pk) OR firstReportedAt > :reportedAt',
          ExpressionAttributeValues: { ':reportedAt': development.firstReportedAt },
          // No previous item: this report created the development.
          ReturnValues: 'ALL_OLD',
        }),
      );
      return previous === undefined;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      return false;
    }
  }

  /**
   * Keeps each development findable by type and date, so the digest reads a strand's latest
   * development (and last sum named) with one item, whatever the length of the history.
   */
  private async indexByType({ development, source }: DevelopmentReport): Promise<void> {
    const sk = `${daySpan(development.date).first}#${development.id}`;
    const key = { pk: strandKey(development.storyId, development.type), sk };
    // The earliest report gives the sentence, and the earliest article about it the title (as
    // the development and the digest's headline), whatever the fetch order: retries and
    // redeliveries reorder it. Ties go to the lower article id.
    const from = `${development.firstReportedAt}#${source.articleId}`;
    const earlier = (field: string) => `attribute_not_exists(${field}) OR ${field} > :from`;
    await this.updateIf(key, {
      UpdateExpression:
        'SET developmentId = :id, #date = :date, summary = :summary, summaryFrom = :from',
      ConditionExpression: earlier('summaryFrom'),
      ExpressionAttributeNames: { '#date': 'date' },
      ExpressionAttributeValues: {
        ':id': development.id,
        ':date': development.date,
        ':summary': development.summary,
        ':from': from,
      },
    });
    if (source.aboutIt) {
      await this.updateIf(key, {
        UpdateExpression: 'SET title = :title, titleFrom = :from',
        ConditionExpression: earlier('titleFrom'),
        ExpressionAttributeValues: { ':title': source.title, ':from': from },
      });
    }
    if (development.amount) {
      await documents.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            pk: amountKey(development.storyId, development.type),
            sk,
            amount: development.amount,
          },
        }),
      );
    }
  }

  async latestOfType(
    storyId: string,
    type: EventType,
    upToDay: string,
  ): Promise<StrandLatest | undefined> {
    const latest = (key: string) =>
      documents.send(
        new QueryCommand({
          TableName: this.table,
          // "~" sorts after "#": every development of `upToDay` itself is included.
          KeyConditionExpression: 'pk = :pk AND sk <= :upTo',
          ExpressionAttributeValues: { ':pk': key, ':upTo': `${upToDay}~` },
          ScanIndexForward: false,
          Limit: 1,
        }),
      );
    const [{ Items: [strand] = [] }, { Items: [money] = [] }] = await Promise.all([
      latest(strandKey(storyId, type)),
      latest(amountKey(storyId, type)),
    ]);
    if (!strand) return undefined;
    return {
      developmentId: String(strand.developmentId),
      date: String(strand.date),
      headline: String(strand.title ?? strand.summary),
      ...(money ? { amount: String(money.amount) } : {}),
    };
  }

  async developmentsFirstReported(
    storyId: string,
    from: string,
    to: string,
  ): Promise<Development[]> {
    const items = await this.queryAll({
      TableName: this.table,
      IndexName: TABLE_LAYOUT.firstReportedIndex.name,
      KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk BETWEEN :from AND :to',
      // gsi1sk is "<instant>#<id>": "#" sorts before digits, so `to` itself is excluded.
      ExpressionAttributeValues: {
        ':pk': developmentsKey(storyId),
        ':from': from,
        ':to': `${to}#`,
      },
    });
    return Promise.all(
      items
        .filter((item) => String(item.firstReportedAt) < to)
        .map(async (item) => {
          const sources = await this.queryAll({
            TableName: this.table,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
            ExpressionAttributeValues: { ':pk': item.pk, ':prefix': 'SOURCE#' },
          });
          const { pk: _pk, sk: _sk, gsi1pk: _gsi1pk, gsi1sk: _gsi1sk, ...development } = item;
          const stored = development as Omit<Development, 'sources' | 'people'> & {
            people?: readonly string[];
          };
          return {
            ...stored,
            // Developments stored before people were recorded have none.
            people: stored.people ?? [],
            sources: sources.map(
              ({ pk: _p, sk: _s, ...source }) => source as unknown as DevelopmentSource,
            ),
          };
        }),
    );
  }

  async countArticle(
    storyId: string,
    week: string,
    outcome: ArticleOutcome,
    articleId: string,
  ): Promise<void> {
    const pk = `COVERAGE#${storyId}`;
    try {
      // The article's mark and the week's counter move together: an article is counted once,
      // however often its message is retried or delivered.
      await documents.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.table,
                Item: { pk, sk: `ARTICLE#${articleId}`, week, outcome },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Update: {
                TableName: this.table,
                Key: { pk, sk: week },
                UpdateExpression: 'ADD #outcome :one',
                ExpressionAttributeNames: { '#outcome': outcome },
                ExpressionAttributeValues: { ':one': 1 },
              },
            },
          ],
        }),
      );
    } catch (error) {
      const counted =
        error instanceof TransactionCanceledException &&
        error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed';
      if (!counted) throw error;
    }
  }

  async articleCounts(storyId: string, week: string): Promise<ArticleCounts> {
    const { Item } = await documents.send(
      new GetCommand({ TableName: this.table, Key: { pk: `COVERAGE#${storyId}`, sk: week } }),
    );
    const { pk: _pk, sk: _sk, ...counts } = Item ?? {};
    return counts as ArticleCounts;
  }

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

  async claimLatestTimelineYear(storyId: string, year: number): Promise<boolean> {
    return conditionHeld(
      documents.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: `TIMELINE#${storyId}`, sk: 'LATEST' },
          UpdateExpression: 'SET latestYear = :year',
          ConditionExpression: 'attribute_not_exists(latestYear) OR latestYear <= :year',
          ExpressionAttributeValues: { ':year': year },
        }),
      ),
    );
  }

  async firstSentAt(storyId: string, week: string): Promise<string | undefined> {
    const deliveries = await this.queryAll({
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk',
      FilterExpression: '#status = :sent',
      ProjectionExpression: 'claimedAt',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':pk': deliveryKey(storyId, week, '').pk, ':sent': 'sent' },
    });
    return deliveries.map((delivery) => String(delivery.claimedAt)).sort()[0];
  }

  async releaseDelivery(storyId: string, week: string, recipient: string): Promise<void> {
    await documents.send(
      new DeleteCommand({ TableName: this.table, Key: deliveryKey(storyId, week, recipient) }),
    );
  }

  /** A conditional update; a condition that does not hold changes nothing and is no error. */
  private async updateIf(
    key: Record<string, string>,
    update: Omit<ConstructorParameters<typeof UpdateCommand>[0], 'TableName' | 'Key'>,
  ): Promise<void> {
    await conditionHeld(
      documents.send(new UpdateCommand({ TableName: this.table, Key: key, ...update })),
    );
  }

  private async queryAll(
    input: ConstructorParameters<typeof QueryCommand>[0],
  ): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await documents.send(
        new QueryCommand({ ...input, ExclusiveStartKey: startKey }),
      );
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items;
  }

  private async batchWrite(requests: Record<string, unknown>[]): Promise<void> {
    for (let start = 0; start < requests.length; start += BATCH) {
      let pending: Record<string, unknown>[] | undefined = requests.slice(start, start + BATCH);
      for (let attempt = 0; pending?.length; attempt += 1) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
        if (attempt > 6)
          throw new Error(`DynamoDB left ${pending.length} write(s) unprocessed in ${this.table}`);
        const result = await documents.send(
          new BatchWriteCommand({ RequestItems: { [this.table]: pending as never } }),
        );
        pending = result.UnprocessedItems?.[this.table] as Record<string, unknown>[] | undefined;
      }
    }
  }
}

function eventSortKey(event: StoryEvent): string {
  return `EVENT#${event.id.split('#').at(-1)}`;
}

function strandKey(storyId: string, type: EventType): string {
  return `TYPE#${storyId}#${type}`;
}

function amountKey(storyId: string, type: EventType): string {
  return `AMOUNT#${storyId}#${type}`;
}

function developmentsKey(storyId: string): string {
  return `STORY#${storyId}#DEV`;
}

function deliveryKey(storyId: string, week: string, recipient: string) {
  return { pk: `DIGEST#${storyId}#${week}`, sk: `TO#${recipient.toLowerCase()}` };
}
