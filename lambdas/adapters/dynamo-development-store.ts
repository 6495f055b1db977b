import { DeleteCommand, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { DevelopmentReport } from '../core/5-cluster/developments.js';
import type { StrandLatest } from '../core/6-digest/story-status.js';
import { daySpan } from '../core/model/date-span.js';
import type { Development, DevelopmentSource, EventType } from '../core/model/records.js';
import type { DevelopmentStore } from '../core/ports/development-store.js';
import { batchWrite, documents, queryAll, withoutKeys } from './dynamo-documents.js';
import {
  amountPartition,
  developmentPartition,
  developmentsIndexPartition,
  strandPartition,
  TABLE_LAYOUT,
} from './table-layout.js';

/**
 * Developments as each article reports them (one item per report: its mention id is the
 * article's, and clustering happens when they are read), indexed by the time of their first
 * report, and by type and date for the digest's status box. An item per report holds its source
 * too: one put and its index entry, where a source item beside it would cost a write more.
 */
export class DynamoDevelopmentStore implements DevelopmentStore {
  constructor(private readonly table: string) {}

  async recordDevelopment(report: DevelopmentReport): Promise<boolean> {
    const { development, source } = report;
    await this.indexByType(report);
    // Unconditional: a redelivered message writes the same report again, and re-processing
    // retracts the old report before it records the new one.
    const { Attributes: previous } = await documents.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          pk: developmentPartition(development.id),
          sk: 'DEV',
          ...development,
          source,
          gsi1pk: developmentsIndexPartition(development.storyId),
          gsi1sk: `${development.firstReportedAt}#${development.id}`,
        },
        ReturnValues: 'ALL_OLD',
      }),
    );
    return previous === undefined;
  }

  async retractReport(developmentId: string, articleId: string): Promise<void> {
    const key = { pk: developmentPartition(developmentId), sk: 'DEV' };
    const { Item: development } = await documents.send(
      new GetCommand({ TableName: this.table, Key: key }),
    );
    const source = development?.source as DevelopmentSource | undefined;
    // A report stored before sources were kept inline has none: its id is its article's.
    if (!development || (source && source.articleId !== articleId)) return;
    const storyId = String(development.storyId);
    const type = development.type as EventType;
    const sk = strandSortKey(String(development.date), developmentId);
    // The index entries first and the development last: a retraction that dies half-way still
    // finds the development next time, and with it the entries to remove.
    await batchWrite(this.table, [
      { DeleteRequest: { Key: { pk: strandPartition(storyId, type), sk } } },
      { DeleteRequest: { Key: { pk: amountPartition(storyId, type), sk } } },
    ]);
    await documents.send(new DeleteCommand({ TableName: this.table, Key: key }));
  }

  /**
   * Keeps each development findable by type and date, so the digest reads a strand's latest
   * development (and last sum named) with one item, whatever the length of the history.
   */
  private async indexByType({ development, source }: DevelopmentReport): Promise<void> {
    const sk = strandSortKey(development.date, development.id);
    await documents.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          pk: strandPartition(development.storyId, development.type),
          sk,
          developmentId: development.id,
          date: development.date,
          summary: development.summary,
          title: source.aboutIt ? source.title : undefined,
        },
      }),
    );
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
      IndexName: TABLE_LAYOUT.timeIndex.name,
      KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk BETWEEN :from AND :to',
      // gsi1sk is "<instant>#<id>": "#" sorts before digits, so `to` itself is excluded.
      ExpressionAttributeValues: {
        ':pk': developmentsIndexPartition(storyId),
        ':from': from,
        ':to': `${to}#`,
      },
    });
    return items
      .filter((item) => String(item.firstReportedAt) < to)
      .map((item) => {
        const { gsi1pk: _gsi1pk, gsi1sk: _gsi1sk, source, ...development } = withoutKeys(item);
        const stored = development as unknown as Omit<Development, 'sources' | 'people'> & {
          people?: readonly string[];
        };
        return {
          ...stored,
          // Developments stored before people were recorded have none.
          people: stored.people ?? [],
          // Reports stored before sources were kept inline have none until re-processed.
          sources: source ? [source as DevelopmentSource] : [],
        };
      });
  }
}

function strandSortKey(date: string, developmentId: string): string {
  return `${daySpan(date).first}#${developmentId}`;
}
