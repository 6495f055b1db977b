/**
 * Collection time on a hostile web (issue 15): the sample site's healthy articles collected
 * alone (the reference), then the same articles beside 25 misbehaving endpoints
 * (test/support/hostile-collection.ts: hanging servers, a tarpit, drips, 429 for an hour,
 * redirect loops, bombs, broken feeds), each through the local runtime as `story-digest run`
 * does it: discovery and the fetch queue side by side, the queue as the stack's event source
 * takes it (five pollers, retries on the local clock). The default story's fetch settings (20 s
 * timeout, 1 s between requests to a host, two retries), loopback allowed.
 *
 * Each run is its own process (the handlers load their story once). Prints both times, the
 * ratio (the goal: within 3×) and any healthy article the hostile run did not store.
 *
 *   npx tsx bench/hostile-collection.ts
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { asTheStackDrains, LocalRuntime } from '../local/local-runtime.js';
import {
  startHostileCollection,
  writeCollectionStory,
} from '../test/support/hostile-collection.js';
import { scanTable } from '../test/support/pipeline-state.js';

interface RunReport {
  readonly mode: 'clean' | 'hostile';
  /** From the first discovery request to the queue drained. */
  readonly ms: number;
  /** The articles stored: their canonical URLs' paths (each run serves the site on its own port). */
  readonly stored: readonly string[];
  readonly skipped: number;
  readonly setAside: number;
  readonly sourceFailures: number;
}

const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const SELF = fileURLToPath(import.meta.url);

async function collect(mode: 'clean' | 'hostile'): Promise<RunReport> {
  const dataDir = mkdtempSync(join(tmpdir(), `story-digest-bench-${mode}-`));
  const web = await startHostileCollection();
  const storyPath = writeCollectionStory(dataDir, web.sources(mode === 'hostile'));
  const runtime = await LocalRuntime.start({
    storyPath,
    dataDir,
    sample: false,
    subscribers: [],
    persistent: false,
  });
  try {
    const { PowertoolsLog } = await import('../lambdas/adapters/logger.js');
    const started = performance.now();
    const discovering = runtime.handlers.discover.handler();
    const fetching = runtime.drainFetchQueue(new PowertoolsLog(), asTheStackDrains(discovering));
    const [found, fetched] = await Promise.all([discovering, fetching]);
    const ms = performance.now() - started;
    const { documents } = await import('../lambdas/adapters/dynamo-documents.js');
    const stored = (await scanTable(documents, runtime.aws.table))
      .filter((item) => item.sk === 'ARTICLE')
      .map((item) => {
        const url = new URL(String(item.url));
        return `${url.pathname}${url.search}`;
      })
      .sort();
    return {
      mode,
      ms,
      stored,
      skipped: fetched.skipped?.length ?? 0,
      setAside: fetched.deadLettered.length,
      sourceFailures: found.failures.length,
    };
  } finally {
    await runtime.stop();
    await web.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** One run in a child process: its report is the last line it prints. */
function inChild(mode: 'clean' | 'hostile'): Promise<RunReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--openssl-legacy-provider', '--import', TSX, SELF, mode],
      {
        env: {
          ...process.env,
          POWERTOOLS_LOG_LEVEL: 'SILENT',
          AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      const last = out.trim().split('\n').at(-1) ?? '';
      if (code !== 0 || !last.startsWith('{')) {
        reject(new Error(`${mode} run exited with ${code}: ${out.slice(-2000)}`));
        return;
      }
      resolve(JSON.parse(last) as RunReport);
    });
  });
}

const mode = process.argv[2];
if (mode === 'clean' || mode === 'hostile') {
  process.stdout.write(`${JSON.stringify(await collect(mode))}\n`);
  process.exit(0);
}
const clean = await inChild('clean');
const hostile = await inChild('hostile');
const lost = clean.stored.filter((url) => !hostile.stored.includes(url));
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
console.log('hostile collection (the sample site alone, then beside 25 misbehaving endpoints)');
console.log(`  clean:   ${seconds(clean.ms)}, ${clean.stored.length} articles stored`);
console.log(
  `  hostile: ${seconds(hostile.ms)}, ${hostile.stored.length} articles stored, ` +
    `${hostile.skipped} links skipped, ${hostile.setAside} set aside in the DLQ, ` +
    `${hostile.sourceFailures} sources failed`,
);
console.log(`  ratio:   ${(hostile.ms / clean.ms).toFixed(2)}× (goal: at most 3×)`);
console.log(`  healthy articles lost: ${lost.length}${lost.length ? ` (${lost.join(', ')})` : ''}`);
if (lost.length) process.exitCode = 1;
