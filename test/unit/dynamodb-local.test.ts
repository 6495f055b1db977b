import { afterEach, describe, expect, it } from 'vitest';
import { startDynamoDbLocal } from '../../local/dynamodb-local.js';
import { LocalRuntimeError } from '../../local/local-runtime-error.js';

describe('DynamoDB Local without Java', () => {
  const path = process.env.PATH;
  afterEach(() => {
    process.env.PATH = path;
  });

  it('says what to install instead of failing obscurely', async () => {
    process.env.PATH = '/nonexistent';
    const error = await startDynamoDbLocal(undefined).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LocalRuntimeError);
    expect((error as Error).message).toMatch(/needs Java 17 or later.*openjdk-17-jre-headless/s);
  });
});
