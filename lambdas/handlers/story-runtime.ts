import { NodeHttpClient, userAgentFor } from '../adapters/http-client.js';
import { loadStoryFile } from '../adapters/story-file.js';
import { EventExtractor } from '../core/events.js';
import { RelevanceFilter } from '../core/relevance.js';
import type { Story } from '../core/story.js';
import type { StoryAnalysis } from '../core/use-cases/process-article.js';

/** The story a function serves, validated at cold start, and what is compiled from it once. */
export function loadStoryRuntime(storyPath: string): {
  story: Story;
  analysis: StoryAnalysis;
  http: NodeHttpClient;
} {
  const story = loadStoryFile(storyPath);
  return {
    story,
    analysis: {
      story,
      relevance: new RelevanceFilter(story.relevance),
      extractor: new EventExtractor(story),
    },
    http: new NodeHttpClient({
      userAgent: userAgentFor(story.contactUrl),
      timeoutMs: story.fetch.timeoutMs,
      maxBytes: story.fetch.maxBytes,
      allowPrivateNetworks: story.fetch.allowPrivateNetworks,
    }),
  };
}
