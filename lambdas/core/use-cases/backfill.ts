import { z } from 'zod';
import { articleId } from '../article-id.js';
import { canonicalUrl } from '../canonical-url.js';
import { describeError } from '../errors.js';
import type { ArchiveStore, FetchQueue, FetchRequest, Log, StoryStore } from '../ports.js';
import type { Story } from '../story.js';
import { parsePayload } from '../validation.js';
import { processRaw, type StoryAnalysis } from './process-article.js';

export const backfillPayloadSchema = z
  .strictObject({
    /** Article URLs to fetch (each once: URLs already known are skipped). */
    urls: z.array(z.string()).max(10_000).optional(),
    /** Re-run cleaning and extraction over every archived response, without the network. */
    reprocess: z.boolean().default(false),
    /** Report what would happen; write nothing. */
    dryRun: z.boolean().default(false),
    /** The source the URLs are attributed to. */
    sourceId: z.string().min(1).default('backfill'),
  })
  .refine((payload) => payload.reprocess || (payload.urls?.length ?? 0) > 0, {
    message: 'give "urls" (a non-empty list) or "reprocess": true',
  });

export type BackfillPayload = z.infer<typeof backfillPayloadSchema>;

/** Validates a manual payload; the error names each bad field and what was expected. */
export function parseBackfillPayload(payload: unknown): BackfillPayload {
  return parsePayload(backfillPayloadSchema, payload, 'backfill payload');
}

export interface BackfillDeps {
  readonly store: StoryStore;
  readonly queue: FetchQueue;
  readonly archive: ArchiveStore;
  readonly log: Log;
  readonly now: () => Date;
}

export interface BackfillResult {
  readonly queued: number;
  readonly skippedKnown: number;
  readonly rejected: readonly { readonly url: string; readonly reason: string }[];
  readonly reprocessed: number;
  readonly reprocessFailed: readonly { readonly key: string; readonly reason: string }[];
  readonly dryRun: boolean;
}

export async function backfill(
  story: Story,
  payload: BackfillPayload,
  analysis: StoryAnalysis,
  deps: BackfillDeps,
): Promise<BackfillResult> {
  const rejected: { url: string; reason: string }[] = [];
  const fresh: FetchRequest[] = [];
  let skippedKnown = 0;
  const firstSeenAt = deps.now().toISOString();
  for (const link of payload.urls ?? []) {
    const url = canonicalUrl(link);
    if (!url) {
      rejected.push({ url: link, reason: 'not an http(s) URL' });
      continue;
    }
    const request: FetchRequest = {
      storyId: story.id,
      sourceId: payload.sourceId,
      url,
      firstSeenAt,
    };
    if (payload.dryRun || (await deps.store.claimUrl(request))) fresh.push(request);
    else skippedKnown += 1;
  }
  if (fresh.length && !payload.dryRun) await deps.queue.enqueue(fresh);

  let reprocessed = 0;
  const reprocessFailed: { key: string; reason: string }[] = [];
  if (payload.reprocess) {
    for await (const key of deps.archive.listRawKeys()) {
      try {
        const raw = await deps.archive.getRaw(key);
        if (!payload.dryRun)
          await processRaw(articleId(raw.request.url), raw, analysis, deps, {
            claimCanonical: false,
          });
        reprocessed += 1;
      } catch (error) {
        reprocessFailed.push({ key, reason: describeError(error) });
        deps.log.error('reprocess failed', { key, reason: describeError(error) });
      }
    }
  }
  const result = {
    queued: fresh.length,
    skippedKnown,
    rejected,
    reprocessed,
    reprocessFailed,
    dryRun: payload.dryRun,
  };
  deps.log.info('backfill finished', {
    ...result,
    rejected: rejected.length,
    reprocessFailed: reprocessFailed.length,
  });
  return result;
}
