import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** The process's one DynamoDB client, shared by every adapter of the table. */
export const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  // Optional fields of the model are left out of items rather than stored as null.
  marshallOptions: { removeUndefinedValues: true },
});
