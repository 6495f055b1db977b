import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

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
