/**
 * Cold start: each Lambda bundle as CDK builds it and how long its module takes to initialise,
 * side by side with a reference bundle that holds only the DynamoDB document client and the
 * Powertools logger (what the smallest useful function needs), and an empty handler's bundle.
 *
 * The bundles come from synthesising the real stack in this process (`app.synth()`, the
 * NodejsFunction local esbuild bundling of lib/story-function.ts: ESM, target node24, minified,
 * tree-shaken since esbuild bundles, UTF-8, source maps without their sources, AWS SDK bundled),
 * not from a copy of its options; the reference and the empty handler are StoryFunctions in a
 * second stack, so they get the same options, aliases, banner and shipped files. Goals (issue
 * 16): every index.mjs at most 1,000,000 bytes, every initialisation at most 1.5× the
 * reference's. What weighs most in each bundle is read from its source map (bytes of minified
 * code per module, with franc-min's and unhomoglyph's data named).
 *
 * Initialisation is `await import()` of the bundle's index.mjs, timed inside a fresh `node`
 * process (module loading, evaluation and the top-level work: the story file validated, the
 * templates compiled, the unsubscribe secret read), the median of 11 processes per bundle, run
 * in rounds so every bundle sees the same machine load. The environment is each function's in
 * the stack, with the local servers' endpoints (startLocalAws), so `digest` and `web` read the
 * secret from the local Secrets Manager stand-in at start-up (a loopback round trip, not
 * AWS's). NODE_OPTIONS is measured as deployed (`--enable-source-maps`) and without it. Node's
 * own start-up and Lambda's runtime bootstrap are not included; this runs the local Node (20,
 * x86-64 here), Lambda runs Node 24 on arm64.
 *
 *   npm run bench            (or: npx tsx bench/cold-start.ts)
 */
import { execFile } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { loadAppConfig } from '../lib/app-config.js';
import { StoryDigestStack } from '../lib/story-digest-stack.js';
import { StoryFunction } from '../lib/story-function.js';
import { startLocalAws } from '../local/local-aws.js';
import { PROJECT_ROOT } from '../local/project-paths.js';

const RUNS = 11;
/** Issue 16's goals. */
const MAX_BUNDLE_BYTES = 1_000_000;
const MAX_INIT_RATIO = 1.5;
/** Data the extractor ships (language trigrams, look-alike letters), named in the output. */
const DATA_MODULES = ['franc-min', 'unhomoglyph'];
const run = promisify(execFile);

/** Timed in the child: the import of the bundle, nothing else. */
const IMPORT_TIMER = `
const started = performance.now();
await import(process.argv[2]);
process.stdout.write(JSON.stringify({ ms: performance.now() - started }));
process.exit(0);
`;

interface Bundle {
  readonly name: string;
  readonly directory: string;
  readonly environment: Record<string, string>;
}

const work = mkdtempSync(join(tmpdir(), 'story-digest-cold-start-'));
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};

try {
  // The empty handler's project: a handler, a lock file, the templates directory the bundling copies.
  const emptyRoot = join(work, 'empty-project');
  mkdirSync(join(emptyRoot, 'lambdas/handlers'), { recursive: true });
  mkdirSync(join(emptyRoot, 'templates'));
  writeFileSync(join(emptyRoot, 'package-lock.json'), '{"lockfileVersion": 3}\n');
  symlinkSync(join(PROJECT_ROOT, 'node_modules'), join(emptyRoot, 'node_modules'), 'dir');
  writeFileSync(
    join(emptyRoot, 'lambdas/handlers/empty.ts'),
    'export const handler = async (): Promise<void> => {};\n',
  );
  // The reference: a DynamoDB document client and a logger, created at start-up as handlers do.
  writeFileSync(
    join(emptyRoot, 'lambdas/handlers/reference.ts'),
    [
      "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';",
      "import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';",
      "import { Logger } from '@aws-lambda-powertools/logger';",
      'const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));',
      "const logger = new Logger({ serviceName: 'reference' });",
      'export const handler = async (): Promise<unknown> => {',
      "  logger.info('invoked');",
      '  return documents.config.region();',
      '};',
      '',
    ].join('\n'),
  );

  const bundlingStarted = performance.now();
  const app = new App({ outdir: join(work, 'cdk.out') });
  const config = loadAppConfig(() => undefined, PROJECT_ROOT);
  new StoryDigestStack(app, `StoryDigest-${config.story.id}`, config);
  const reference = new Stack(app, 'ColdStartReference');
  for (const [id, entry] of [
    ['Empty', 'lambdas/handlers/empty.ts'],
    ['Reference', 'lambdas/handlers/reference.ts'],
  ] as const) {
    new StoryFunction(reference, id, {
      entry,
      description: `${id}: a bundle to compare with`,
      timeout: Duration.seconds(3),
      memorySize: 128,
      projectRoot: emptyRoot,
      storyFile: config.storyFile,
    });
  }
  const assembly = app.synth();
  const bundlingSeconds = (performance.now() - bundlingStarted) / 1000;

  const bundles: Bundle[] = [];
  for (const stack of assembly.stacks) {
    const resources = stack.template.Resources as Record<
      string,
      {
        Type: string;
        Properties: {
          Code: { S3Key: string };
          Environment?: { Variables?: Record<string, unknown> };
        };
      }
    >;
    for (const [logicalId, resource] of Object.entries(resources)) {
      if (resource.Type !== 'AWS::Lambda::Function') continue;
      // `<construct id>Function<hash>`: the StoryFunction's id.
      const name = logicalId.replace(/Function[0-9A-F]{8}$/, '');
      const hash = resource.Properties.Code.S3Key.replace(/\.zip$/, '');
      const variables = resource.Properties.Environment?.Variables ?? {};
      bundles.push({
        name,
        directory: join(assembly.directory, `asset.${hash}`),
        // Values that are CloudFormation references are replaced below; the names are the stack's.
        environment: Object.fromEntries(
          Object.entries(variables).map(([key, value]) => [
            key,
            typeof value === 'string' ? value : '',
          ]),
        ),
      });
    }
  }
  const order = (name: string) => (name === 'Empty' ? 0 : name === 'Reference' ? 1 : 2);
  bundles.sort((a, b) => order(a.name) - order(b.name));

  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const aws = await startLocalAws({ dataDir: join(work, 'aws'), persistent: false });
  try {
    const timer = join(work, 'import-timer.mjs');
    writeFileSync(timer, IMPORT_TIMER);
    const environmentOf = (bundle: Bundle, nodeOptions: string) => {
      const local: Record<string, string> = {
        STORY_PATH: join(bundle.directory, 'story.json'),
        TEMPLATES_DIR: join(bundle.directory, 'templates'),
        TABLE_NAME: aws.table,
        BUCKET_NAME: aws.bucket,
        FETCH_QUEUE_URL: aws.queueUrl,
        UNSUBSCRIBE_SECRET_ARN: aws.unsubscribeSecretArn,
        WEB_BASE_URL: 'http://127.0.0.1:9/',
        SES_CONFIGURATION_SET: 'story-digest',
      };
      const mine = Object.fromEntries(
        Object.keys(bundle.environment).map((key) => [key, local[key] ?? bundle.environment[key]]),
      ) as Record<string, string>;
      return {
        PATH: process.env.PATH ?? '',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        ...aws.environment,
        ...mine,
        NODE_OPTIONS: nodeOptions,
      };
    };
    const timings = new Map<string, { deployed: number[]; plain: number[] }>(
      bundles.map((bundle) => [bundle.name, { deployed: [], plain: [] }]),
    );
    const timeImport = async (bundle: Bundle, nodeOptions: string) => {
      const { stdout } = await run(process.execPath, [timer, join(bundle.directory, 'index.mjs')], {
        env: environmentOf(bundle, nodeOptions),
      });
      return (JSON.parse(stdout) as { ms: number }).ms;
    };
    // One warm-up round (the disk cache), then rounds over every bundle, one process at a time.
    for (const bundle of bundles) await timeImport(bundle, '--enable-source-maps');
    for (let round = 0; round < RUNS; round += 1) {
      for (const bundle of bundles) {
        const timing = timings.get(bundle.name) as { deployed: number[]; plain: number[] };
        timing.deployed.push(await timeImport(bundle, '--enable-source-maps'));
        timing.plain.push(await timeImport(bundle, ''));
      }
    }

    const reference = timings.get('Reference') as { deployed: number[]; plain: number[] };
    const referenceDeployed = median(reference.deployed);
    const referencePlain = median(reference.plain);
    console.log(
      `\ncold start: the stack's bundles (built by CDK's local esbuild bundling in ${bundlingSeconds.toFixed(0)} s), ` +
        `module initialisation the median of ${RUNS} fresh node ${process.version} processes`,
    );
    console.log(
      `${'function'.padEnd(18)} ${'index.mjs'.padStart(10)} ${'gzip'.padStart(9)} ${'.map'.padStart(10)}  ` +
        `${'init, --enable-source-maps'.padStart(28)}  ${'init, no source maps'.padStart(22)}`,
    );
    const problems: string[] = [];
    for (const bundle of bundles) {
      const code = readFileSync(join(bundle.directory, 'index.mjs'));
      const mapBytes = statSync(join(bundle.directory, 'index.mjs.map')).size;
      const timing = timings.get(bundle.name) as { deployed: number[]; plain: number[] };
      const deployed = median(timing.deployed);
      const plain = median(timing.plain);
      console.log(
        `${bundle.name.padEnd(18)} ${String(code.length).padStart(10)} ${String(gzipSync(code).length).padStart(9)} ` +
          `${String(mapBytes).padStart(10)}  ` +
          `${`${deployed.toFixed(1)} ms ${(deployed / referenceDeployed).toFixed(2).padStart(5)}×`.padStart(28)}  ` +
          `${`${plain.toFixed(1)} ms ${(plain / referencePlain).toFixed(2).padStart(5)}×`.padStart(22)}`,
      );
      if (code.length > MAX_BUNDLE_BYTES) problems.push(`${bundle.name}: ${code.length} bytes`);
      if (deployed > MAX_INIT_RATIO * referenceDeployed) {
        problems.push(
          `${bundle.name}: init ${(deployed / referenceDeployed).toFixed(2)}× the reference`,
        );
      }
    }
    console.log(
      "(bytes; × = the median over the reference bundle's, in the same column: goal ≤ " +
        `${MAX_INIT_RATIO}×; every index.mjs ≤ ${MAX_BUNDLE_BYTES.toLocaleString('en')} bytes)`,
    );
    console.log('\nwhat weighs most (bytes of index.mjs, from each source map):');
    for (const bundle of bundles) {
      if (bundle.name === 'Empty') continue;
      const weights = moduleWeights(join(bundle.directory, 'index.mjs'));
      const top = weights
        .slice(0, 8)
        .map(({ module, bytes }) => `${module} ${(bytes / 1000).toFixed(0)} KB`)
        .join(', ');
      const data = weights
        .filter(({ module }) => DATA_MODULES.includes(module))
        .map(({ module, bytes }) => `${module} ${(bytes / 1000).toFixed(0)} KB`);
      console.log(
        `${bundle.name.padEnd(18)} ${top}${data.length ? ` (data: ${data.join(', ')})` : ''}`,
      );
    }
    console.log(problems.length ? `\nover the goals: ${problems.join('; ')}` : '\nevery goal met');
  } finally {
    await aws.stop();
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

/**
 * Bytes of minified code per module (an npm package, or a folder of lambdas/), attributed from
 * the bundle's source map: each mapped segment's generated text belongs to its source.
 */
function moduleWeights(bundleFile: string): { module: string; bytes: number }[] {
  const code = readFileSync(bundleFile, 'utf8').split('\n');
  const map = JSON.parse(readFileSync(`${bundleFile}.map`, 'utf8')) as {
    sources: string[];
    mappings: string;
  };
  const bytes = new Map<string, number>();
  let source = 0;
  map.mappings.split(';').forEach((line, lineIndex) => {
    const text = code[lineIndex] ?? '';
    let column = 0;
    let owner: number | undefined;
    const credit = (until: number) => {
      if (owner === undefined) return;
      const name = moduleOf(map.sources[owner] ?? '');
      bytes.set(name, (bytes.get(name) ?? 0) + Buffer.byteLength(text.slice(column, until)));
    };
    for (const segment of line ? line.split(',') : []) {
      const fields = decodeVlq(segment);
      const start = column + (fields[0] ?? 0);
      credit(start);
      column = start;
      if (fields.length >= 4) {
        source += fields[1] ?? 0;
        owner = source;
      } else owner = undefined;
    }
    credit(text.length);
  });
  return [...bytes.entries()]
    .map(([module, size]) => ({ module, bytes: size }))
    .sort((a, b) => b.bytes - a.bytes);
}

function moduleOf(source: string): string {
  const packages = source.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/g);
  if (packages) return (packages.at(-1) ?? '').replace('node_modules/', '');
  const own = /(lambdas\/[^/]+\/[^/]+)/.exec(source);
  return own?.[1] ?? source;
}

/** One source-map segment's base64 VLQ fields. */
function decodeVlq(segment: string): number[] {
  const VLQ = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const fields: number[] = [];
  let value = 0;
  let shift = 0;
  for (const character of segment) {
    const digit = VLQ.indexOf(character);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
      continue;
    }
    fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
    value = 0;
    shift = 0;
  }
  return fields;
}
