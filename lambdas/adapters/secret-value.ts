import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ConfigError } from '../core/model/errors.js';

const secrets = new SecretsManagerClient({});

/**
 * A secret's string value, read once per cold start by the handler that needs it (the key that
 * signs unsubscribe links). A missing or empty secret fails the cold start, naming it.
 */
export async function readSecretString(secretId: string): Promise<string> {
  let value: string | undefined;
  try {
    ({ SecretString: value } = await secrets.send(
      new GetSecretValueCommand({ SecretId: secretId }),
    ));
  } catch (error) {
    throw new ConfigError(`secret ${secretId} cannot be read`, { cause: error });
  }
  if (!value) throw new ConfigError(`secret ${secretId} has no string value`);
  return value;
}
