import { ConfigError } from '../core/errors.js';

/**
 * Reads the variables a handler needs, once, at start-up: a missing one fails the cold start
 * with a message naming it, instead of a confusing error on the first event.
 */
export function readEnvironment<const K extends string>(names: readonly K[]): Record<K, string> {
  const missing = names.filter((name) => !process.env[name]);
  if (missing.length) {
    throw new ConfigError(`missing environment variable(s): ${missing.join(', ')}`);
  }
  return Object.fromEntries(names.map((name) => [name, process.env[name] as string])) as Record<
    K,
    string
  >;
}
