/**
 * Runs the digest handler once in its own process, as a Lambda invocation would, so a test can
 * SIGKILL it mid-send. argv: the ISO week and the invocation's remaining time in milliseconds
 * (its deadline: how long its delivery claims are leased). The environment is the local
 * runtime's (endpoints, table, bucket, secret, seed).
 */
const [week, remainingMs] = process.argv.slice(2);
const { handler } = await import('../../lambdas/handlers/digest.js');
const started = Date.now();
const result = await handler(
  { week },
  { getRemainingTimeInMillis: () => Number(remainingMs) - (Date.now() - started) },
);
process.stdout.write(`${JSON.stringify(result)}\n`);
