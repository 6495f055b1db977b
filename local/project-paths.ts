import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The checkout's root, and the bundled story and sample below it. */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const SAMPLE_SITE_DIR = join(PROJECT_ROOT, 'sample', 'site');
export const DEFAULT_STORY = join(PROJECT_ROOT, 'stories', 's400-turkey.json');
