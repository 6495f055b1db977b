import { readFileSync } from 'node:fs';
import { StoryFileError } from '../core/model/errors.js';
import { parseStory, type Story } from '../core/model/story.js';

/** Reads and validates a story file; errors name the file and the field. */
export function loadStoryFile(path: string): Story {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new StoryFileError(
      path,
      `cannot be read (${(error as NodeJS.ErrnoException).code ?? error})`,
      { cause: error },
    );
  }
  return parseStory(text, path);
}
