import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { type Fingerprint, fingerprintTime } from '../core/5-cluster/near-duplicates.js';
import type { Article } from '../core/model/records.js';
import type { ArticleStore, StoredArticle } from '../core/ports/article-store.js';
import { batchWrite, documents, queryAll, withoutKeys } from './dynamo-documents.js';
import { articlePartition, fingerprintsPartition } from './table-layout.js';

/** Articles' metadata (an item each) and their fingerprints (one partition per story). */
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

function fingerprintKey(storyId: string, publishedAt: string, articleId: string) {
  return { pk: fingerprintsPartition(storyId), sk: `${publishedAt}#${articleId}` };
}
