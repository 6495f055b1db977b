import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';

/** The process's one DynamoDB client, shared by every adapter of the table. */
export const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  // Optional fields of the model are left out of items rather than stored as null.
  marshallOptions: { removeUndefinedValues: true },
});

/**
 * Awaits a conditional write: true when it was written, false when its condition did not hold
 * (an answer to the caller, not an error). Any other failure is thrown.
 */
export async function conditionHeld(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/** Every item a query matches, page after page. */
export async function queryAll(
  input: ConstructorParameters<typeof QueryCommand>[0],
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey }));
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

const BATCH = 25; // BatchWriteItem's limit

/** Puts and deletes in batches of 25, retrying what DynamoDB leaves unprocessed. */
export async function batchWrite(
  table: string,
  requests: Record<string, unknown>[],
): Promise<void> {
  for (let start = 0; start < requests.length; start += BATCH) {
    let pending: Record<string, unknown>[] | undefined = requests.slice(start, start + BATCH);
    for (let attempt = 0; pending?.length; attempt += 1) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
      if (attempt > 6)
        throw new Error(`DynamoDB left ${pending.length} write(s) unprocessed in ${table}`);
      const result = await documents.send(
        new BatchWriteCommand({ RequestItems: { [table]: pending as never } }),
      );
      pending = result.UnprocessedItems?.[table] as Record<string, unknown>[] | undefined;
    }
  }
}

/** An item without its table keys: what the model stored in it. */
export function withoutKeys(item: Record<string, unknown>): Record<string, unknown> {
  const { pk: _pk, sk: _sk, ...rest } = item;
  return rest;
}
