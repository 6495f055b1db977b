import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPOSITORY_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The stack's functions, by their handler file under lambdas/handlers/. */
export const HANDLERS = [
  'discover',
  'fetch',
  'digest',
  'backfill',
  'web',
  'ses-events',
  'deliver',
] as const;

/**
 * A project root with stub handlers (each returns its own name), so a stack test synthesizes a
 * template without bundling the real ones. Local bundling runs `npx --no-install esbuild` in the
 * project root, hence the linked node_modules.
 */
export function stubProject(prefix: string): string {
  const root = mkdtempSync(join(tmpdir(), prefix));
  writeFileSync(join(root, 'package-lock.json'), '{"lockfileVersion": 3}\n');
  symlinkSync(join(REPOSITORY_ROOT, 'node_modules'), join(root, 'node_modules'), 'dir');
  mkdirSync(join(root, 'lambdas/handlers'), { recursive: true });
  for (const name of HANDLERS) {
    writeFileSync(
      join(root, `lambdas/handlers/${name}.ts`),
      `export const handler = async (): Promise<string> => '${name}';\n`,
    );
  }
  mkdirSync(join(root, 'templates'));
  writeFileSync(join(root, 'templates/digest.html.hbs'), '<h1>{{week}}</h1>\n');
  return root;
}
