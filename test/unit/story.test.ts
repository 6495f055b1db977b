import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadStoryFile } from '../../lambdas/adapters/story-file.js';
import { StoryFileError } from '../../lambdas/core/model/errors.js';
import { parseStory } from '../../lambdas/core/model/story.js';

const DEFAULT_STORY = 'stories/s400-turkey.json';
const valid = JSON.parse(readFileSync(DEFAULT_STORY, 'utf8'));

function errorFor(story: unknown): StoryFileError {
  try {
    parseStory(JSON.stringify(story), 'bad.json');
  } catch (error) {
    if (error instanceof StoryFileError) return error;
    throw error;
  }
  throw new Error('expected the story to be rejected');
}

describe('story file', () => {
  it('loads the default story with its defaults filled in', () => {
    const story = loadStoryFile(DEFAULT_STORY);
    expect(story.id).toBe('s400-turkey');
    expect(story.fetch.allowPrivateNetworks).toBe(false);
    expect(story.digest.backgroundDays).toBe(10);
    expect(story.alarms.noNewArticleDays).toBe(3);
    expect(story.entities.systems.map((system) => system.name)).toContain('S-400');
  });

  it('names the file and the bad field', () => {
    const error = errorFor({
      ...valid,
      sources: [{ ...valid.sources[0], url: 'ftp://example.com/feed' }],
    });
    expect(error.message).toMatch(/^story file bad\.json: sources\[0\]\.url: /);
  });

  it('rejects a person who speaks for an unknown actor', () => {
    const people = [{ name: 'Jane Doe', actor: 'Atlantis' }];
    const error = errorFor({ ...valid, entities: { ...valid.entities, people } });
    expect(error.message).toContain(
      'entities.people[0].actor: "Atlantis" is not one of entities.actors',
    );
  });

  it('keeps the no-new-article alarm within the 7 days CloudWatch looks back', () => {
    expect(
      parseStory(JSON.stringify({ ...valid, alarms: { noNewArticleDays: 7 } }), 'ok.json'),
    ).toMatchObject({ alarms: { noNewArticleDays: 7 } });
    expect(errorFor({ ...valid, alarms: { noNewArticleDays: 8 } }).message).toMatch(
      /alarms\.noNewArticleDays: /,
    );
  });

  it('rejects unknown keys, so a typo is not silently ignored', () => {
    expect(errorFor({ ...valid, sourcse: [] }).message).toContain('sourcse');
  });

  it('reports invalid JSON and unreadable files with the path', () => {
    expect(() => parseStory('{ "id": ', 'broken.json')).toThrow(
      /story file broken\.json: not valid JSON/,
    );
    expect(() => loadStoryFile('stories/missing.json')).toThrow(
      /story file stories\/missing\.json: cannot be read \(ENOENT\)/,
    );
  });
});
