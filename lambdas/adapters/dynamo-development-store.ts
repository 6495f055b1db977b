import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { DevelopmentReport } from '../core/5-cluster/developments.js';
import { earliestReportKey } from '../core/5-cluster/developments.js';
import type { StrandLatest } from '../core/6-digest/story-status.js';
import { daySpan } from '../core/model/date-span.js';
import type { Development, DevelopmentSource, EventType } from '../core/model/records.js';
import type { DevelopmentStore } from '../core/ports/development-store.js';
import { batchWrite, conditionHeld, documents, queryAll, withoutKeys } from './dynamo-documents.js';
import {
  amountPartition,
  developmentPartition,
  developmentsIndexPartition,
  strandPartition,
  TABLE_LAYOUT,
} from './table-layout.js';

/**
 * Developments (one partition each: the development and one item per report), indexed by the
 * time of their first report, and by type and date for the digest's status box.
 */
export class DynamoDevelopmentStore implements DevelopmentStore {
  constructor(private readonly table: string) {}

  async recordDevelopment(report: DevelopmentReport): Promise<boolean> {
    const { development, source } = report;
    const pk = developmentPartition(development.id);
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
            gsi1pk: developmentsIndexPartition(development.storyId),
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

  async retractReport(developmentId: string, articleId: string): Promise<void> {
    const pk = developmentPartition(developmentId);
    await documents.send(
      new DeleteCommand({ TableName: this.table, Key: { pk, sk: `SOURCE#${articleId}` } }),
    );
    const others = await documents.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': pk, ':prefix': 'SOURCE#' },
        Limit: 1,
      }),
    );
    if (others.Items?.length) return;
    const { Item: development } = await documents.send(
      new GetCommand({ TableName: this.table, Key: { pk, sk: 'DEV' } }),
    );
    if (!development) return;
    const storyId = String(development.storyId);
    const type = development.type as EventType;
    const sk = `${daySpan(String(development.date)).first}#${developmentId}`;
    // The index entries first and the development last: a retraction that dies half-way still
    // finds the development next time, and with it the entries to remove.
    await batchWrite(this.table, [
      { DeleteRequest: { Key: { pk: strandPartition(storyId, type), sk } } },
      { DeleteRequest: { Key: { pk: amountPartition(storyId, type), sk } } },
    ]);
    await documents.send(new DeleteCommand({ TableName: this.table, Key: { pk, sk: 'DEV' } }));
  }

  /**
   * Keeps each development findable by type and date, so the digest reads a strand's latest
   * development (and last sum named) with one item, whatever the length of the history.
   */
  private async indexByType(report: DevelopmentReport): Promise<void> {
    const { development, source } = report;
    const sk = `${daySpan(development.date).first}#${development.id}`;
    const key = { pk: strandPartition(development.storyId, development.type), sk };
    // The earliest report gives the sentence, and the earliest article about it the title,
    // whatever the fetch order (retries and redeliveries reorder it).
    const from = earliestReportKey(report);
    const earlier = (field: string) => `attribute_not_exists(${field}) OR ${field} > :from`;
    await conditionHeld(
      documents.send(
        new UpdateCommand({
          TableName: this.table,
          Key: key,
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
        }),
      ),
    );
    if (source.aboutIt) {
      await conditionHeld(
        documents.send(
          new UpdateCommand({
            TableName: this.table,
            Key: key,
            UpdateExpression: 'SET title = :title, titleFrom = :from',
            ConditionExpression: earlier('titleFrom'),
            ExpressionAttributeValues: { ':title': source.title, ':from': from },
          }),
        ),
      );
    }
    if (development.amount) {
      await documents.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            pk: amountPartition(development.storyId, development.type),
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
    const latest = (pk: string) =>
      documents.send(
        new QueryCommand({
          TableName: this.table,
          // "~" sorts after "#": every development of `upToDay` itself is included.
          KeyConditionExpression: 'pk = :pk AND sk <= :upTo',
          ExpressionAttributeValues: { ':pk': pk, ':upTo': `${upToDay}~` },
          ScanIndexForward: false,
          Limit: 1,
        }),
      );
    const [{ Items: [strand] = [] }, { Items: [money] = [] }] = await Promise.all([
      latest(strandPartition(storyId, type)),
      latest(amountPartition(storyId, type)),
    ]);
    if (!strand) return undefined;
    return {
      developmentId: String(strand.developmentId),
      date: String(strand.date),
      headline: String(strand.title ?? strand.summary),
      amount: money ? String(money.amount) : undefined,
    };
  }

  async developmentsFirstReported(
    storyId: string,
    from: string,
    to: string,
  ): Promise<Development[]> {
    const items = await queryAll({
      TableName: this.table,
      IndexName: TABLE_LAYOUT.firstReportedIndex.name,
      KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk BETWEEN :from AND :to',
      // gsi1sk is "<instant>#<id>": "#" sorts before digits, so `to` itself is excluded.
      ExpressionAttributeValues: {
        ':pk': developmentsIndexPartition(storyId),
        ':from': from,
        ':to': `${to}#`,
      },
    });
    return Promise.all(
      items
        .filter((item) => String(item.firstReportedAt) < to)
        .map(async (item) => {
          const sources = await queryAll({
            TableName: this.table,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
            ExpressionAttributeValues: { ':pk': item.pk, ':prefix': 'SOURCE#' },
          });
          const { gsi1pk: _gsi1pk, gsi1sk: _gsi1sk, ...development } = withoutKeys(item);
          const stored = development as unknown as Omit<Development, 'sources' | 'people'> & {
            people?: readonly string[];
          };
          return {
            ...stored,
            // Developments stored before people were recorded have none.
            people: stored.people ?? [],
            sources: sources.map((source) => withoutKeys(source) as unknown as DevelopmentSource),
          };
        }),
    );
  }
}
