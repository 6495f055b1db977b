import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { DigestTemplates } from '../core/6-digest/render-digest.js';
import { ConfigError } from '../core/model/errors.js';

/** Reads templates/digest.html.hbs, digest.txt.hbs and partials/*.hbs from a directory. */
export function loadDigestTemplates(dir: string): DigestTemplates {
  try {
    const partialsDir = join(dir, 'partials');
    const partials = Object.fromEntries(
      readdirSync(partialsDir)
        .filter((file) => file.endsWith('.hbs'))
        .map((file) => [basename(file, '.hbs'), readFileSync(join(partialsDir, file), 'utf8')]),
    );
    return {
      html: readFileSync(join(dir, 'digest.html.hbs'), 'utf8'),
      text: readFileSync(join(dir, 'digest.txt.hbs'), 'utf8'),
      partials,
    };
  } catch (error) {
    throw new ConfigError(
      `digest templates in ${dir} cannot be read: ${(error as Error).message}`,
      { cause: error },
    );
  }
}

/** Reads templates/timeline.html.hbs, the story's timeline page. */
export function loadTimelineTemplate(dir: string): string {
  try {
    return readFileSync(join(dir, 'timeline.html.hbs'), 'utf8');
  } catch (error) {
    throw new ConfigError(
      `timeline template in ${dir} cannot be read: ${(error as Error).message}`,
      { cause: error },
    );
  }
}
