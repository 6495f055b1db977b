import { describe, expect, it } from 'vitest';
import { loadStoryFile } from '../../lambdas/adapters/story-file.js';
import { discover } from '../../lambdas/core/1-discover/discover.js';
import type { Story } from '../../lambdas/core/model/story.js';
import type { HttpClient } from '../../lambdas/core/ports/http.js';
import { MemoryFetchQueue } from '../support/memory/fetch-queue.js';
import { quiet } from '../support/memory/log.js';
import { RecordingMetrics } from '../support/memory/metrics.js';
import { MemorySourceStates } from '../support/memory/source-states.js';
import { MemoryUrlLedger } from '../support/memory/url-ledger.js';

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

describe('metrics of discovery', () => {
  it('records a failing source’s streak run after run, and the URLs it queued', async () => {
    const sourceStates = new MemorySourceStates();
    const seenUrls = new MemoryUrlLedger();
    const runs: RecordingMetrics[] = [];
    for (let run = 0; run < 3; run += 1) {
      const metrics = new RecordingMetrics();
      await discover(story, {
        http,
        sourceStates,
        seenUrls,
        queue: new MemoryFetchQueue(),
        log: quiet,
        metrics,
        // Hourly, as scheduled: each run's claims are its own.
        now: () => new Date(Date.UTC(2019, 6, 13, 12 + run)),
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
