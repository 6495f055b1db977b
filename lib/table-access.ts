import type { ItemKind } from '../lambdas/adapters/table-layout.js';

/**
 * The kinds of table item each pipeline function's handler reads or writes: its IAM
 * `dynamodb:LeadingKeys` grant (the partition patterns of table-layout.ts). `web` and
 * `ses-events` get the story's subscriber partition alone (`managesSubscribers`).
 * test/e2e/sample-cycle.test.ts checks every key the handlers touch against this list.
 */
export const TABLE_ACCESS = {
  // Claims URLs, keeps its sources' health, books host slots.
  discover: ['urls', 'sourceStates', 'hosts'],
  // What fetching an article writes: its URL claims, host slots, the article, its fingerprint,
  // its development and indexes, its coverage count.
  fetch: [
    'urls',
    'hosts',
    'articles',
    'fingerprints',
    'developments',
    'strands',
    'amounts',
    'coverage',
  ],
  // Queues (URL claims, host slots for walking documents) and re-processes (what fetch writes).
  backfill: [
    'urls',
    'hosts',
    'articles',
    'fingerprints',
    'developments',
    'strands',
    'amounts',
    'coverage',
  ],
  // Reads what the pipeline stored; writes only its ledger and timeline year; seeds and re-reads
  // subscribers. No URL, article or host item.
  digest: [
    'developments',
    'strands',
    'amounts',
    'fingerprints',
    'coverage',
    'sourceStates',
    'deliveries',
    'timeline',
    'subscribers',
  ],
  // Delivers batches of readers: their ledger items and the week's counters, each reader's
  // subscriber item read again, and the story's SES send slots.
  deliver: ['deliveries', 'subscribers', 'sendRate'],
} as const satisfies Record<string, readonly ItemKind[]>;

/** Whether a partition key matches an IAM StringLike pattern (`*` any text, `?` one character). */
export function matchesPattern(key: string, pattern: string): boolean {
  const source = pattern
    .split('')
    .map((char) =>
      char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[.+^${}()|[\]\\]/g, '\\$&'),
    )
    .join('');
  return new RegExp(`^${source}$`, 's').test(key);
}
