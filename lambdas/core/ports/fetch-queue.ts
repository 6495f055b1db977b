import { z } from 'zod';

/** A URL that discovery (or a backfill) found and the fetcher should read: one queue message. */
export const fetchRequestSchema = z.strictObject({
  storyId: z.string().min(1),
  sourceId: z.string().min(1),
  url: z.url({ protocol: /^https?$/ }),
  firstSeenAt: z.iso.datetime(),
  feedTitle: z.string().optional(),
  feedPublishedAt: z.iso.datetime().optional(),
});

export type FetchRequest = Readonly<z.infer<typeof fetchRequestSchema>>;

export interface FetchQueue {
  enqueue(requests: readonly FetchRequest[]): Promise<void>;
}
