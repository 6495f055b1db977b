import * as z from '../model/zod.js';

/** A URL that discovery (or a backfill) found and the fetcher should read: one queue message. */
export const fetchRequestSchema = z.strictObject({
  storyId: z.string().check(z.minLength(1)),
  sourceId: z.string().check(z.minLength(1)),
  url: z.url({ protocol: /^https?$/ }),
  firstSeenAt: z.iso.datetime(),
  feedTitle: z.optional(z.string()),
  feedPublishedAt: z.optional(z.iso.datetime()),
});

export type FetchRequest = Readonly<z.infer<typeof fetchRequestSchema>>;

export interface FetchQueue {
  enqueue(requests: readonly FetchRequest[]): Promise<void>;
}
