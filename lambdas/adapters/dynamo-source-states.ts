import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { SourceState, SourceStates } from '../core/ports/source-states.js';
import { documents, withoutKeys } from './dynamo-documents.js';
import { sourceStateKey } from './table-layout.js';

/** Each source's validators and health: one item per story and source. */
export class DynamoSourceStates implements SourceStates {
  constructor(private readonly table: string) {}

  async getSourceState(storyId: string, sourceId: string): Promise<SourceState | undefined> {
    const result = await documents.send(
      new GetCommand({ TableName: this.table, Key: sourceStateKey(storyId, sourceId) }),
    );
    return result.Item ? (withoutKeys(result.Item) as unknown as SourceState) : undefined;
  }

  async putSourceState(state: SourceState): Promise<void> {
    await documents.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...sourceStateKey(state.storyId, state.sourceId), ...state },
      }),
    );
  }
}
