import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { TimelineYears } from '../core/ports/timeline-years.js';
import { conditionHeld, documents } from './dynamo-documents.js';
import { timelineKey } from './table-layout.js';

/** The story's latest timeline year, raised only (a re-run of an old week cannot lower it). */
export class DynamoTimelineYears implements TimelineYears {
  constructor(private readonly table: string) {}

  async claimLatestTimelineYear(storyId: string, year: number): Promise<boolean> {
    return conditionHeld(
      documents.send(
        new UpdateCommand({
          TableName: this.table,
          Key: timelineKey(storyId),
          UpdateExpression: 'SET latestYear = :year',
          ConditionExpression: 'attribute_not_exists(latestYear) OR latestYear <= :year',
          ExpressionAttributeValues: { ':year': year },
        }),
      ),
    );
  }
}
