import type { Context } from 'aws-lambda';

/** What a handler reads of Lambda's context: the time it has left. */
export type InvocationContext = Pick<Context, 'getRemainingTimeInMillis'>;

/** Lambda's longest invocation: the deadline assumed when invoked without a context (the CLI). */
const LONGEST_INVOCATION_MS = 15 * 60_000;

/**
 * When this invocation ends, at the latest: Lambda stops it then. What it leaves leased until
 * then (delivery claims, pending URL claims) was left by a dead invocation once that time passed.
 */
export function invocationDeadline(now: Date, context?: InvocationContext): Date {
  return new Date(now.getTime() + (context?.getRemainingTimeInMillis() ?? LONGEST_INVOCATION_MS));
}
