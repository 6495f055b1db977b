import { listedItemRelevance, type RelevanceFilter } from '../4-extract/relevance.js';
import type { Story } from '../model/story.js';
import type { FetchQueue, FetchRequest } from '../ports/fetch-queue.js';
import type { UrlLedger } from '../ports/url-ledger.js';
import { canonicalUrl } from './canonical-url.js';

/** What a listing (a feed entry, a sitemap page, a link on a page) or an operator gave. */
export interface FoundLink {
  readonly link: string;
  readonly sourceId: string;
  readonly title?: string | undefined;
  readonly summary?: string | undefined;
  readonly publishedAt?: string | undefined;
  /** Named by an operator: fetched whatever its listing says, and judged on its text. */
  readonly explicit?: boolean;
}

/** Why a link was not queued: `reason` is one of REJECTED or the caller's; `detail` says more. */
export interface Rejection {
  readonly url: string;
  readonly reason: string;
  readonly detail?: string;
}

export const REJECTED = {
  notHttp: 'not an http(s) URL',
  offStory: 'off the story',
  outsideRange: 'outside the date range',
  undated: 'no date to place in the range',
} as const;

const CLAIMS_AT_ONCE = 25;

/**
 * Lambda's longest invocation: the lease of a run that gives no deadline (a CLI run), after which
 * its pending claims are taken over.
 */
export const LONGEST_RUN_MS = 15 * 60_000;

/** A run of discovery or backfill: claims it leaves pending are taken over after `deadline`. */
export interface AdmissionRun {
  readonly deadline: Date;
}

/** A run with no deadline given: as long as Lambda's longest invocation. */
export function runFrom(now: Date, run?: AdmissionRun): AdmissionRun {
  return run ?? { deadline: new Date(now.getTime() + LONGEST_RUN_MS) };
}

export interface Admission {
  readonly story: Story;
  readonly relevance: RelevanceFilter;
  /** When the links were found; every request carries it (a claim is named by its request). */
  readonly firstSeenAt: string;
  /**
   * The run's deadline: its claims stay pending until then unless queued and confirmed, so a run
   * that dies between claiming and queueing loses nothing (a later run takes the URLs over).
   */
  readonly leaseUntil: string;
  /** Canonical URLs met so far in this run: a link listed twice (tracking parameters, two sources) is one article. */
  readonly seen: Set<string>;
  /** A further reason to turn a link down before it is judged (a backfill's address policy and date range). */
  readonly refuse?: (url: string, link: FoundLink) => Rejection | undefined;
  /** Only look up whether each URL is known: nothing is claimed or queued. */
  readonly dryRun?: boolean;
}

export interface Admitted {
  /** Claimed and handed to the fetch queue (in a dry run: would be). */
  readonly queued: readonly FetchRequest[];
  /** Claimed before, by any source in any run: not fetched again. */
  readonly known: number;
  readonly rejected: readonly Rejection[];
}

/**
 * Admits found links to the fetch queue, the one way discovery and backfills bring an article
 * in: each link's canonical URL, once per run; the caller's own refusals; the story's relevance
 * pre-filter on what the listing says; a claim per URL, so each article is fetched once whoever
 * finds it; then one enqueue, then the claims confirmed. Claims are pending until confirmed: if
 * the run dies before the queue accepts (a timeout, out of memory), a later run takes them over
 * once the run's lease ended. If the queue refuses, the claims are given back at once and the
 * error thrown, so a later run finds the same links again.
 */
export async function admitLinks(
  links: readonly FoundLink[],
  admission: Admission,
  deps: { readonly seenUrls: UrlLedger; readonly queue: FetchQueue },
): Promise<Admitted> {
  const rejected: Rejection[] = [];
  const requests: FetchRequest[] = [];
  for (const link of links) {
    const url = canonicalUrl(link.link);
    if (!url) {
      rejected.push({ url: link.link, reason: REJECTED.notHttp });
      continue;
    }
    if (admission.seen.has(url)) continue;
    admission.seen.add(url);
    const refusal = admission.refuse?.(url, link);
    if (refusal) {
      rejected.push(refusal);
      continue;
    }
    if (!link.explicit) {
      const judged = listedItemRelevance(admission.relevance, {
        title: link.title ?? '',
        summary: link.summary,
      });
      if (!judged.relevant) {
        rejected.push({ url, reason: REJECTED.offStory, detail: judged.reason });
        continue;
      }
    }
    requests.push({
      storyId: admission.story.id,
      sourceId: link.sourceId,
      url,
      firstSeenAt: admission.firstSeenAt,
      feedTitle: link.title || undefined,
      feedPublishedAt: link.publishedAt,
    });
  }
  const fresh: FetchRequest[] = [];
  // Claims go in groups: their round trips overlap without a burst of thousands at once.
  for (let start = 0; start < requests.length; start += CLAIMS_AT_ONCE) {
    const group = requests.slice(start, start + CLAIMS_AT_ONCE);
    const known = await Promise.all(
      group.map(async (request) =>
        admission.dryRun
          ? deps.seenUrls.isKnownUrl(request)
          : !(await deps.seenUrls.claimUrl(request, { leaseUntil: admission.leaseUntil })),
      ),
    );
    fresh.push(...group.filter((_, index) => !known[index]));
  }
  if (fresh.length && !admission.dryRun) {
    try {
      await deps.queue.enqueue(fresh);
    } catch (error) {
      await Promise.all(fresh.map((request) => deps.seenUrls.releaseUrl(request)));
      throw error;
    }
    // Confirmed only now: had the run died before, the pending claims would be taken over.
    await deps.seenUrls.confirmUrls(fresh);
  }
  return { queued: fresh, known: requests.length - fresh.length, rejected };
}
