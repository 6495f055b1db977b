import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ArticleCounts, ArticleOutcome } from '../core/6-digest/coverage.js';
import { StoryDigestError } from '../core/model/errors.js';
import type { CoverageLedger } from '../core/ports/coverage-ledger.js';
import { conditionHeld, documents, withoutKeys } from './dynamo-documents.js';
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
    // The article's mark and the week's counter move together: an article is counted once,
    // however often its message is retried or delivered.
    await transactionHeld(
      documents.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.table,
                Item: { pk, sk: `ARTICLE#${articleId}`, week, outcome },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            counterUpdate(this.table, pk, week, [[outcome, 1]]),
          ],
        }),
      ),
    );
  }

  async recountArticle(
    storyId: string,
    week: string,
    outcome: ArticleOutcome,
    articleId: string,
  ): Promise<void> {
    const pk = coveragePartition(storyId);
    const key = { pk, sk: `ARTICLE#${articleId}` };
    const { Item: mark } = await documents.send(
      new GetCommand({ TableName: this.table, Key: key }),
    );
    if (!mark) return this.countArticle(storyId, week, outcome, articleId);
    if (mark.week === week && mark.outcome === outcome) return;
    const was = String(mark.outcome);
    // A transaction may touch an item once: within one week, one update moves the count.
    const counters =
      mark.week === week
        ? [
            counterUpdate(this.table, pk, week, [
              [was, -1],
              [outcome, 1],
            ]),
          ]
        : [
            counterUpdate(this.table, pk, mark.week, [[was, -1]]),
            counterUpdate(this.table, pk, week, [[outcome, 1]]),
          ];
    // The mark is changed only from what was read: a concurrent recount of the same article
    // cancels this one rather than move its count twice.
    const moved = await transactionHeld(
      documents.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.table,
                Item: { ...key, week, outcome },
                ConditionExpression: '#week = :week AND #outcome = :outcome',
                ExpressionAttributeNames: { '#week': 'week', '#outcome': 'outcome' },
                ExpressionAttributeValues: { ':week': mark.week, ':outcome': mark.outcome },
              },
            },
            ...counters,
          ],
        }),
      ),
    );
    if (!moved) {
      throw new StoryDigestError(
        `coverage of article ${articleId}: changed while it was recounted, try again`,
      );
    }
    // A count moved away to nothing is dropped, as a fresh run would never have written it.
    await conditionHeld(
      documents.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk, sk: mark.week },
          UpdateExpression: 'REMOVE #outcome',
          ConditionExpression: '#outcome = :zero',
          ExpressionAttributeNames: { '#outcome': String(mark.outcome) },
          ExpressionAttributeValues: { ':zero': 0 },
        }),
      ),
    );
  }

  async articleCounts(storyId: string, week: string): Promise<ArticleCounts> {
    const { Item } = await documents.send(
      new GetCommand({ TableName: this.table, Key: { pk: coveragePartition(storyId), sk: week } }),
    );
    return (Item ? withoutKeys(Item) : {}) as ArticleCounts;
  }
}

/** An update adding each change to its outcome's count in one week's counter item. */
function counterUpdate(
  table: string,
  pk: string,
  week: unknown,
  changes: readonly (readonly [string, number])[],
) {
  return {
    Update: {
      TableName: table,
      Key: { pk, sk: week },
      UpdateExpression: `ADD ${changes.map((_, index) => `#o${index} :c${index}`).join(', ')}`,
      ExpressionAttributeNames: Object.fromEntries(
        changes.map(([name], index) => [`#o${index}`, name]),
      ),
      ExpressionAttributeValues: Object.fromEntries(
        changes.map(([, change], index) => [`:c${index}`, change]),
      ),
    },
  };
}

/** Whether a transaction went through: false when its first item's condition did not hold. */
async function transactionHeld(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (error) {
    if (
      error instanceof TransactionCanceledException &&
      error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed'
    )
      return false;
    throw error;
  }
}
