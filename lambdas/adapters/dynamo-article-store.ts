import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { type Fingerprint, fingerprintTime } from '../core/5-cluster/near-duplicates.js';
import type { Article, StoryEvent } from '../core/model/records.js';
import type { ArticleStore, StoredArticle } from '../core/ports/article-store.js';
import { batchWrite, documents, queryAll, withoutKeys } from './dynamo-documents.js';
import { articlePartition, fingerprintsPartition } from './table-layout.js';

/** Articles' metadata and events (one partition per article) and their fingerprints (per story). */
export class DynamoArticleStore implements ArticleStore {
  constructor(private readonly table: string) {}

  async putArticle(article: Article): Promise<void> {
    const { text: _text, ...metadata } = article;
    await documents.send(
      new PutCommand({
        TableName: this.table,
        Item: { pk: articlePartition(article.id), sk: 'ARTICLE', ...metadata },
      }),
    );
  }

  async getArticle(articleId: string): Promise<StoredArticle | undefined> {
    const { Item } = await documents.send(
      new GetCommand({
        TableName: this.table,
        Key: { pk: articlePartition(articleId), sk: 'ARTICLE' },
      }),
    );
    return Item ? (withoutKeys(Item) as unknown as StoredArticle) : undefined;
  }

  async removeArticle(article: StoredArticle): Promise<void> {
    await this.replaceEvents(article.id, []);
    await batchWrite(this.table, [
      {
        DeleteRequest: {
          Key: fingerprintKey(article.storyId, fingerprintTime(article), article.id),
        },
      },
    ]);
    await documents.send(
      new DeleteCommand({
        TableName: this.table,
        Key: { pk: articlePartition(article.id), sk: 'ARTICLE' },
      }),
    );
  }

  async replaceEvents(articleId: string, events: readonly StoryEvent[]): Promise<void> {
    const pk = articlePartition(articleId);
    const existing = await queryAll({
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
    await batchWrite(this.table, [...puts, ...deletes]);
  }

  async putFingerprint(storyId: string, fingerprint: Fingerprint): Promise<void> {
    await documents.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          ...fingerprintKey(storyId, fingerprint.publishedAt, fingerprint.articleId),
          ...fingerprint,
        },
      }),
    );
  }

  async fingerprintsBetween(storyId: string, from: string, to: string): Promise<Fingerprint[]> {
    const items = await queryAll({
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      // sk is "<instant>#<id>": "$" sorts after "#", so articles published at `to` are in.
      ExpressionAttributeValues: {
        ':pk': fingerprintsPartition(storyId),
        ':from': from,
        ':to': `${to}$`,
      },
    });
    return items.map((item) => withoutKeys(item) as unknown as Fingerprint);
  }
}

function eventSortKey(event: StoryEvent): string {
  return `EVENT#${event.id.split('#').at(-1)}`;
}

function fingerprintKey(storyId: string, publishedAt: string, articleId: string) {
  return { pk: fingerprintsPartition(storyId), sk: `${publishedAt}#${articleId}` };
}
