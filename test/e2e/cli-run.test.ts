import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

describe('story-digest run', () => {
  it('refuses --sample with another story before starting anything, saying why', async () => {
    const failure = await run(process.execPath, [
      'bin/story-digest.js',
      'run',
      '--story',
      'stories/boeing-737-max.json',
      '--sample',
      '--data-dir',
      '/nonexistent/never-created',
    ]).catch((error: { code: number; stderr: string }) => error);
    expect(failure).toMatchObject({ code: 1 });
    expect((failure as { stderr: string }).stderr).toBe(
      "story-digest: --sample runs the bundled sample, which is the default story's " +
        "(stories/s400-turkey.json), not stories/boeing-737-max.json's: drop --sample to run " +
        'stories/boeing-737-max.json on its own sources\n',
    );
  });
});
