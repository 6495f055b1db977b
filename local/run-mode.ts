import { realpathSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { StoryDigestError } from '../lambdas/core/model/errors.js';

/** What `story-digest run` reads: the bundled sample site, or the story's own sources. */
export interface RunMode {
  readonly storyPath: string;
  readonly sample: boolean;
}

/**
 * Chooses what a `run` reads from its options. The sample site (sample/site/) is the default
 * story's sample: it is what `run` reads with no options (what `npm start` does) and with
 * `--sample`. A story file given with `--story` is run on its own sources, as is any story with
 * `--live`. Asking for the sample with another story is an error, not a silent choice.
 */
export function runMode(
  options: {
    readonly story?: string | undefined;
    readonly sample: boolean;
    readonly live: boolean;
  },
  defaultStory: string,
): RunMode {
  if (options.sample && options.live)
    throw new StoryDigestError('give --sample or --live, not both');
  const storyPath = resolve(options.story ?? defaultStory);
  if (options.sample && !sameFile(storyPath, defaultStory)) {
    const shown = relative(process.cwd(), defaultStory) || defaultStory;
    throw new StoryDigestError(
      `--sample runs the bundled sample, which is the default story's (${shown}), not ` +
        `${options.story}'s: drop --sample to run ${options.story} on its own sources`,
    );
  }
  return { storyPath, sample: options.sample || (!options.live && options.story === undefined) };
}

function sameFile(a: string, b: string): boolean {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return resolve(a) === resolve(b);
  }
}
