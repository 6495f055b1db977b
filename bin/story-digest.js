#!/usr/bin/env node
// Runs the TypeScript CLI (bin/story-digest.ts) through tsx. s3rver, which the CLI runs
// in-process, needs OpenSSL's legacy provider to list buckets with continuation tokens.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const result = spawnSync(
  process.execPath,
  [
    '--openssl-legacy-provider',
    '--no-deprecation',
    '--import',
    tsx,
    join(here, 'story-digest.ts'),
    ...process.argv.slice(2),
  ],
  {
    stdio: 'inherit',
    // Local development runs on Node 20 (Lambda on 22); the SDK's notice about it is known.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...process.env },
  },
);
process.exit(result.status ?? 1);
