import { ConfigError } from '../core/model/errors.js';

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

/**
 * An absolute http(s) URL from a variable (https in AWS; the local runtime serves http on
 * loopback); the error names the variable.
 */
export function readHttpUrl(name: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch (error) {
    throw new ConfigError(`${name} is not a URL: "${value}"`, { cause: error });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigError(`${name} must be an http(s) URL, not "${value}"`);
  }
  return url.toString();
}

/** An optional positive number from a variable; undefined when unset, an error naming it if bad. */
export function readPositiveNumber(name: string): number | undefined {
  const value = process.env[name];
  if (value === undefined || value === '') return undefined;
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) {
    throw new ConfigError(`${name} must be a positive number, not "${value}"`);
  }
  return number;
}
