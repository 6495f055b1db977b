import { ensureEmulator } from '../local/dynamodb-local.js';

/** Fetches DynamoDB Local once, before test files start servers in parallel. */
export default async function setup(): Promise<void> {
  await ensureEmulator();
}
