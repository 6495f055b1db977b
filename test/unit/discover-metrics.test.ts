import { describe, expect, it } from 'vitest';
import { loadStoryFile } from '../../lambdas/adapters/story-file.js';
import { discover } from '../../lambdas/core/1-discover/discover.js';
import type { Story } from '../../lambdas/core/model/story.js';
import type { HttpClient, SourceState, StoryStore } from '../../lambdas/core/ports/ports.js';
import { quiet } from '../support/local-story.js';
import { RecordingMetrics } from '../support/recording-metrics.js';

const story: Story = {
  ...loadStoryFile('stories/s400-turkey.json'),
  sources: [
    { id: 'healthy', type: 'rss', url: 'https://healthy.example/feed.xml' },
    { id: 'broken', type: 'rss', url: 'https://broken.example/feed.xml' },
  ],
};

const FEED = `<rss version="2.0"><channel><title>Healthy</title>
<item><title>Turkey receives first S-400 parts</title><link>https://healthy.example/a.html</link>
<description>Russia delivered the first S-400 parts to Turkey.</description></item>
</channel></rss>`;

/** The healthy feed answers; the broken one is a 500 every time. */
const http: HttpClient = {
  get: async (url) => ({
    url,
    finalUrl: url,
    status: url.startsWith('https://healthy.') ? 200 : 500,
    headers: { 'content-type': 'application/rss+xml' },
    body: new TextEncoder().encode(url.startsWith('https://healthy.') ? FEED : 'down'),
  }),
};

function storeWithHealth(): StoryStore {
  const states = new Map<string, SourceState>();
  const claimed = new Set<string>();
  return {
    getSourceState: async (_story, sourceId) => states.get(sourceId),
    putSourceState: async (state) => void states.set(state.sourceId, state),
    claimUrl: async ({ url }) => !claimed.has(url) && Boolean(claimed.add(url)),
  } as Partial<StoryStore> as StoryStore;
}

describe('metrics of discovery', () => {
  it('records a failing source’s streak run after run, and the URLs it queued', async () => {
    const store = storeWithHealth();
    const runs: RecordingMetrics[] = [];
    for (let run = 0; run < 3; run += 1) {
      const metrics = new RecordingMetrics();
      await discover(story, {
        http,
        store,
        queue: { enqueue: async () => undefined },
        log: quiet,
        metrics,
        now: () => new Date('2019-07-13T12:00:00Z'),
      });
      runs.push(metrics);
    }
    expect(runs.map((metrics) => metrics.totals())).toEqual([
      { 'SourceFailureStreak source=broken': 1, ArticlesDiscovered: 1 },
      { 'SourceFailureStreak source=broken': 2, ArticlesDiscovered: 0 },
      { 'SourceFailureStreak source=broken': 3, ArticlesDiscovered: 0 },
    ]);
  });
});
