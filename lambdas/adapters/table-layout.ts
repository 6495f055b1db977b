/** The table's key schema, shared by the CDK stack and the local runtime so they cannot drift. */
export const TABLE_LAYOUT = {
  partitionKey: 'pk',
  sortKey: 'sk',
  firstReportedIndex: { name: 'byFirstReported', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  timeToLiveAttribute: 'expiresAt',
} as const;
