import { NodeHttpClient, userAgentFor } from '../adapters/http-client.js';
import { PoliteHttpClient } from '../adapters/polite-http.js';
import { loadStoryFile } from '../adapters/story-file.js';
import type { StoryAnalysis } from '../core/2-fetch/analyse-article.js';
import { EventExtractor } from '../core/4-extract/events.js';
import { RelevanceFilter } from '../core/4-extract/relevance.js';
import type { Story } from '../core/model/story.js';
import type { HostPacer } from '../core/ports/http.js';

/**
 * What an article is read with: the relevance filter and the event extractor, compiled once
 * from the story. Only the functions that read articles build it (the extractor's lexicons take
 * most of a cold start): discovery judges feed items with its own relevance filter.
 */
export function storyAnalysis(story: Story): StoryAnalysis {
  return {
    story,
    relevance: new RelevanceFilter(story.relevance),
    extractor: new EventExtractor(story),
  };
}

/** The story a function serves, validated at cold start, and its polite crawler. */
export function loadStoryServices(
  storyPath: string,
  pacer?: HostPacer,
): {
  story: Story;
  http: PoliteHttpClient;
} {
  const story = loadStoryFile(storyPath);
  return {
    story,
    http: new PoliteHttpClient(
      new NodeHttpClient({
        userAgent: userAgentFor(story.contactUrl),
        connectTimeoutMs: Math.min(10_000, story.fetch.timeoutMs),
        headersTimeoutMs: story.fetch.timeoutMs,
        totalTimeoutMs: story.fetch.timeoutMs,
        maxBytes: story.fetch.maxBytes,
        maxDecodedBytes: story.fetch.maxBytes * 4,
        allowPrivateNetworks: story.fetch.allowPrivateNetworks,
      }),
      {
        robotsAgent: 'story-digest',
        hostDelayMs: story.fetch.hostDelayMs,
        maxConcurrency: story.fetch.concurrency,
        maxRetries: story.fetch.maxRetries,
        baseBackoffMs: story.fetch.retryBaseMs,
        maxRetryWaitMs: 30_000,
        robotsTtlMs: 3_600_000,
        pacer,
      },
    ),
  };
}
