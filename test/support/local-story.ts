import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Development } from '../../lambdas/core/model/records.js';
import { LocalRuntime } from '../../local/local-runtime.js';
import { DEFAULT_STORY } from '../../local/project-paths.js';

export interface LocalStory {
  readonly runtime: LocalRuntime;
  close(): Promise<void>;
}

/**
 * The local stack on the default story with its sources and fetch settings replaced, in a
 * temporary data directory removed again by `close`.
 */
export async function startLocalStory(
  name: string,
  sources: readonly Record<string, unknown>[],
  fetch: Record<string, unknown>,
): Promise<LocalStory> {
  const dataDir = mkdtempSync(join(tmpdir(), `story-digest-${name}-`));
  const story = JSON.parse(readFileSync(DEFAULT_STORY, 'utf8'));
  const storyPath = join(dataDir, 'story.json');
  writeFileSync(storyPath, JSON.stringify({ ...story, sources, fetch }));
  const runtime = await LocalRuntime.start({ storyPath, dataDir, sample: false, subscribers: [] });
  return {
    runtime,
    close: async () => {
      await runtime.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Developments first reported in [from, to), read through the stored index like the digest. */
export async function developmentsBetween(
  runtime: LocalRuntime,
  from: string,
  to: string,
): Promise<Development[]> {
  const { DynamoDevelopmentStore } = await import(
    '../../lambdas/adapters/dynamo-development-store.js'
  );
  return new DynamoDevelopmentStore(runtime.aws.table).developmentsFirstReported(
    runtime.story.id,
    from,
    to,
  );
}
