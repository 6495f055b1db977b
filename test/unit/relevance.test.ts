import { describe, expect, it } from 'vitest';
import { loadStoryFile } from '../../lambdas/adapters/story-file.js';
import { RelevanceFilter } from '../../lambdas/core/4-extract/relevance.js';

const filter = new RelevanceFilter(loadStoryFile('stories/s400-turkey.json').relevance);
const article = (title: string, ...paragraphs: string[]) => ({
  title,
  text: paragraphs.join('\n\n'),
});

describe('RelevanceFilter on the default story', () => {
  it('keeps an article on Turkey and the S-400, even when its lead names only one of them', () => {
    const judged = filter.judge(
      article(
        'Erdogan and Putin meet in Sochi',
        'Turkey and Russia discussed defence cooperation on Wednesday.',
        'Ankara bought the S-400 in 2017 and received it in 2019.',
      ),
    );
    // Its score is the share of the story's term groups its headline and lead name.
    expect(judged).toMatchObject({ relevant: true, score: 0.5 });
  });

  it('keeps out another buyer that mentions Turkey and the S-400 in passing, and says why', () => {
    const judged = filter.judge(
      article(
        'Poland signs for 32 F-35 fighters',
        'WARSAW – Poland on Friday signed a deal for 32 F-35 jets.',
        'Turkey, which bought the Russian S-400, was removed from the programme in 2019.',
      ),
    );
    expect(judged.relevant).toBe(false);
    expect(judged.reason).toMatch(/headline and lead name Poland/);
  });

  it('keeps out an article missing one of the required groups', () => {
    expect(filter.judge(article('Turkey buys drones', 'Ankara signed for drones.'))).toEqual({
      relevant: false,
      score: 0,
      reason: 'no required term (group 1) found',
    });
  });
});
