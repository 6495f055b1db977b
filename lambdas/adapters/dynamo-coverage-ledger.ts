import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { ArticleCounts, ArticleOutcome } from '../core/6-digest/coverage.js';
import type { CoverageLedger } from '../core/ports/coverage-ledger.js';
import { documents, withoutKeys } from './dynamo-documents.js';
import { coveragePartition } from './table-layout.js';

/** Per story: a counter per week and outcome, and a mark per article so each counts once. */
export class DynamoCoverageLedger implements CoverageLedger {
  constructor(private readonly table: string) {}

  async countArticle(
    storyId: string,
    week: string,
    outcome: ArticleOutcome,
    articleId: string,
  ): Promise<void> {
    const pk = coveragePartition(storyId);
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
      new GetCommand({ TableName: this.table, Key: { pk: coveragePartition(storyId), sk: week } }),
    );
    return (Item ? withoutKeys(Item) : {}) as ArticleCounts;
  }
}
