import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ArticleCounts, ArticleOutcome } from '../core/6-digest/coverage.js';
import { StoryDigestError } from '../core/model/errors.js';
import type { CoverageLedger } from '../core/ports/coverage-ledger.js';
import { conditionHeld, documents, queryAll } from './dynamo-documents.js';
import { coverageIndexPartition, coveragePartition, TABLE_LAYOUT } from './table-layout.js';

/**
 * Per story, a mark per article holding the week and outcome it counts in; a week's counts are
 * its marks, read through the time index. One conditional put per article: an article counts
 * once however often its message is retried, with no counter to keep in step (a transaction
 * with one would cost four write units where the mark and its index entry cost two).
 */
export class DynamoCoverageLedger implements CoverageLedger {
  constructor(private readonly table: string) {}

  async countArticle(
    storyId: string,
    week: string,
    outcome: ArticleOutcome,
    articleId: string,
  ): Promise<void> {
    await conditionHeld(
      documents.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...markKey(storyId, articleId),
            ...markFields(storyId, week, outcome, articleId),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
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
    const key = markKey(storyId, articleId);
    const { Item: mark } = await documents.send(
      new GetCommand({ TableName: this.table, Key: key }),
    );
    if (!mark) return this.countArticle(storyId, week, outcome, articleId);
    const fields = markFields(storyId, week, outcome, articleId);
    // A mark written before the index carried marks has no index keys: rewritten, so that
    // re-processing the archive brings old weeks' counts back.
    if (mark.gsi1pk === fields.gsi1pk && mark.gsi1sk === fields.gsi1sk) return;
    // Moved only from what was read: a concurrent recount of the same article refuses this one.
    const moved = await conditionHeld(
      documents.send(
        new UpdateCommand({
          TableName: this.table,
          Key: key,
          UpdateExpression: 'SET #week = :week, outcome = :outcome, gsi1pk = :pk, gsi1sk = :sk',
          ConditionExpression: '#week = :was AND outcome = :wasOutcome',
          ExpressionAttributeNames: { '#week': 'week' },
          ExpressionAttributeValues: {
            ':week': week,
            ':outcome': outcome,
            ':pk': fields.gsi1pk,
            ':sk': fields.gsi1sk,
            ':was': mark.week,
            ':wasOutcome': mark.outcome,
          },
        }),
      ),
    );
    if (!moved) {
      throw new StoryDigestError(
        `coverage of article ${articleId}: changed while it was recounted, try again`,
      );
    }
  }

  async articleCounts(storyId: string, week: string): Promise<ArticleCounts> {
    const marks = await queryAll({
      TableName: this.table,
      IndexName: TABLE_LAYOUT.timeIndex.name,
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': coverageIndexPartition(storyId, week) },
      ProjectionExpression: 'outcome',
    });
    const counts: Partial<Record<ArticleOutcome, number>> = {};
    for (const { outcome } of marks) {
      const counted = outcome as ArticleOutcome;
      counts[counted] = (counts[counted] ?? 0) + 1;
    }
    return counts;
  }
}

function markKey(storyId: string, articleId: string) {
  return { pk: coveragePartition(storyId), sk: `ARTICLE#${articleId}` };
}

function markFields(storyId: string, week: string, outcome: ArticleOutcome, articleId: string) {
  return {
    week,
    outcome,
    gsi1pk: coverageIndexPartition(storyId, week),
    gsi1sk: `${outcome}#${articleId}`,
  };
}
