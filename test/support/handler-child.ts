/**
 * Runs one handler once in its own process, as a Lambda invocation would, so a test can SIGKILL
 * it mid-way. argv: the handler module's name (`digest`, `discover`, `backfill`…), the event as
 * JSON, and the invocation's remaining time in milliseconds (its deadline: how long what it
 * claims is leased). The environment is the local runtime's (endpoints, table, bucket, queue,
 * secret, seed), with whatever the test changed.
 */
const [name, event, remainingMs] = process.argv.slice(2);
const { handler } = (await import(`../../lambdas/handlers/${name}.js`)) as {
  handler: (event: unknown, context: { getRemainingTimeInMillis(): number }) => Promise<unknown>;
};
const started = Date.now();
const result = await handler(JSON.parse(event ?? '{}'), {
  getRemainingTimeInMillis: () => Number(remainingMs) - (Date.now() - started),
});
process.stdout.write(`${JSON.stringify(result)}\n`);
