import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalAws, startLocalAws } from '../../local/local-aws.js';

const run = promisify(execFile);
const STORY = 's400-turkey';

/**
 * `story-digest subscribers … --table NAME` as an operator runs it against a deployed stack:
 * no local servers of its own, the AWS SDK's standard configuration. Here that configuration
 * (AWS_ENDPOINT_URL_DYNAMODB, region, credentials) points it at DynamoDB Local.
 */
describe('story-digest subscribers against a stack’s table', () => {
  let dir: string;
  let aws: LocalAws;
  let environment: NodeJS.ProcessEnv;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'story-digest-cli-subscribers-'));
    aws = await startLocalAws({ dataDir: dir, persistent: false });
    environment = { ...process.env, ...aws.environment };
    delete environment.AWS_REGION; // given with --region, as an operator would
    Object.assign(process.env, aws.environment);
    const { DynamoSubscriberStore } = await import('../../lambdas/adapters/dynamo-subscribers.js');
    const store = new DynamoSubscriberStore(aws.table);
    await store.suppress(
      STORY,
      'hard@example.org',
      '2019-07-01T00:00:00.000Z',
      'bounce: Permanent/General',
    );
  });

  afterAll(async () => {
    await aws?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const cli = (...args: string[]) =>
    run(
      process.execPath,
      [
        'bin/story-digest.js',
        'subscribers',
        ...args,
        '--table',
        aws.table,
        '--region',
        'us-east-1',
        // Never created: with --table the command starts no local server.
        '--data-dir',
        join(dir, 'unused'),
      ],
      { env: environment },
    );

  it('adds, says why a suppressed address is not added, removes, lists and exports CSV', async () => {
    const added = await cli('add', 'Ana@example.org', 'hard@example.org', 'bo@example.org');
    expect(added.stderr.split('\n')).toEqual([
      'ana@example.org: added (active)',
      'bo@example.org: added (active)',
      'hard@example.org: suppressed since 2019-07-01T00:00:00.000Z (bounce: Permanent/General): not added; SES refuses to mail it too',
      '',
    ]);
    const removed = await cli('remove', 'bo@example.org');
    expect(removed.stderr).toBe('bo@example.org: unsubscribed\n');

    const listed = (await cli('list')).stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(listed.map(({ address, status }) => `${address} ${status}`)).toEqual([
      'ana@example.org active',
      'bo@example.org unsubscribed',
      'hard@example.org suppressed',
    ]);

    const csv = join(dir, 'subscribers.csv');
    await cli('export', '--out', csv);
    const lines = readFileSync(csv, 'utf8').split('\r\n');
    expect(lines[0]).toBe(
      'address,status,createdAt,confirmedAt,unsubscribedAt,suppressedAt,suppressionReason',
    );
    expect(lines.slice(1, -1).map((line) => line.split(',').slice(0, 2).join(' '))).toEqual([
      'ana@example.org active',
      'bo@example.org unsubscribed',
      'hard@example.org suppressed',
    ]);
    expect(existsSync(join(dir, 'unused'))).toBe(false);
  });

  it('imports a list: a file with an invalid line adds nobody and names each line; a good CSV adds all', async () => {
    const listed = async () =>
      (await cli('list')).stdout
        .trim()
        .split('\n')
        .map((line) => (JSON.parse(line) as { address: string }).address);
    const before = await listed();
    const bad = join(dir, 'bad.txt');
    writeFileSync(bad, 'new1@example.org\nnot an address\nnew2@example.org\nnew3@\n');
    const failed = await cli('import', bad).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toContain(`${bad}: 2 invalid line(s), nothing imported:`);
    expect(failed?.stderr).toContain('line 2: not an email address: "not an address"');
    expect(failed?.stderr).toContain('line 4: not an email address: "new3@"');
    expect(await listed()).toEqual(before);

    const good = join(dir, 'good.csv');
    writeFileSync(good, 'name,email\r\n"Doe, New",new1@example.org\r\nBo,bo@example.org\r\n');
    const imported = await cli('import', good);
    expect(imported.stderr).toMatch(
      /^bo@example\.org: already known, left unsubscribed \(since .+\)\nimported: 1 subscriber added, 1 already known\n$/,
    );
    expect(await listed()).toEqual([...before, 'new1@example.org'].sort());
  });
});
