import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_STORY, PROJECT_ROOT } from '../../local/project-paths.js';
import { runMode } from '../../local/run-mode.js';

const OTHER = join(PROJECT_ROOT, 'stories', 'boeing-737-max.json');

describe('what `story-digest run` reads', () => {
  it('reads the bundled sample with no options and with --sample', () => {
    expect(runMode({ sample: false, live: false }, DEFAULT_STORY)).toEqual({
      storyPath: DEFAULT_STORY,
      sample: true,
    });
    expect(runMode({ sample: true, live: false }, DEFAULT_STORY)).toEqual({
      storyPath: DEFAULT_STORY,
      sample: true,
    });
    expect(runMode({ story: DEFAULT_STORY, sample: true, live: false }, DEFAULT_STORY)).toEqual({
      storyPath: DEFAULT_STORY,
      sample: true,
    });
  });

  it('reads a story file given with --story on its own sources, and any story with --live', () => {
    expect(runMode({ story: OTHER, sample: false, live: false }, DEFAULT_STORY)).toEqual({
      storyPath: OTHER,
      sample: false,
    });
    // Naming the default story is asking for its real sources too.
    expect(runMode({ story: DEFAULT_STORY, sample: false, live: false }, DEFAULT_STORY)).toEqual({
      storyPath: DEFAULT_STORY,
      sample: false,
    });
    expect(runMode({ sample: false, live: true }, DEFAULT_STORY)).toEqual({
      storyPath: DEFAULT_STORY,
      sample: false,
    });
  });

  it('refuses a contradiction, saying which', () => {
    expect(() => runMode({ story: OTHER, sample: true, live: false }, DEFAULT_STORY)).toThrow(
      /--sample runs the bundled sample, which is the default story's \(.*s400-turkey\.json\), not .*boeing-737-max\.json's: drop --sample/,
    );
    expect(() => runMode({ sample: true, live: true }, DEFAULT_STORY)).toThrow(
      'give --sample or --live, not both',
    );
  });
});
