/** The table's key schema, shared by the CDK stack and the local runtime so they cannot drift. */
export const TABLE_LAYOUT = {
  partitionKey: 'pk',
  sortKey: 'sk',
  firstReportedIndex: { name: 'byFirstReported', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  timeToLiveAttribute: 'expiresAt',
} as const;

/**
 * Subscribers: one partition per story (`SUBSCRIBERS#<story>` / `ADDRESS#<address>`), so the
 * digest reads its list with one query and a function that only manages subscribers can be
 * limited to that partition (IAM `dynamodb:LeadingKeys`).
 */
export function subscribersPartition(storyId: string): string {
  return `SUBSCRIBERS#${storyId}`;
}

export function subscriberKey(storyId: string, address: string): { pk: string; sk: string } {
  return { pk: subscribersPartition(storyId), sk: `ADDRESS#${address}` };
}
