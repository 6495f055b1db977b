import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const CLI = ['bin/story-digest.js', 'extract'];
const CORPUS = 'eval/story-corpus/articles';

describe('story-digest extract', () => {
  it('prints each article with its relevance and events, one JSON line each', async () => {
    const { stdout } = await run(process.execPath, [
      ...CLI,
      `${CORPUS}/044_ankara-vows-response-sanctions.txt`,
      'sample/site/northgate-wire/story/19904-pentagon-suspends-turkey-f35.html',
      '--published',
      '2020-12-16',
    ]);
    const [text, page] = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(text).toMatchObject({
      title: 'Ankara vows response as US sanctions hit defence procurement body',
      publishedAt: '2020-12-16',
      relevance: { relevant: true },
    });
    expect(text.events[0]).toMatchObject({ role: 'main', type: 'SANCTION', date: '2020-12-14' });
    // People come with the actor they speak for and their role, from the story's gazetteer.
    expect(text.events[1].people).toContainEqual({
      name: 'Mike Pompeo',
      actor: 'United States',
      role: 'Secretary of State',
    });
    // A page's own date wins over --published.
    expect(page).toMatchObject({ publishedAt: '2019-07-17T19:20:00Z' });
    expect(page.events.find((event: { role: string }) => event.role === 'main')).toMatchObject({
      type: 'PROGRAM_EXCLUSION',
      date: '2019-07-17',
    });
  });

  it('names the file and what is missing, and goes on with the others', async () => {
    const error = await run(process.execPath, [
      ...CLI,
      `${CORPUS}/044_ankara-vows-response-sanctions.txt`,
      'sample/site/northgate-wire/story/19904-pentagon-suspends-turkey-f35.html',
    ]).catch((failure: { code: number; stdout: string; stderr: string }) => failure);
    expect(error).toMatchObject({ code: 1 });
    expect((error as { stderr: string }).stderr).toContain(
      '044_ankara-vows-response-sanctions.txt: no publication date in the file: give --published YYYY-MM-DD',
    );
    expect((error as { stdout: string }).stdout).toContain('Pentagon suspends Turkey');
  });
});
