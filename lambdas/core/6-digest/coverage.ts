import type { SourceState } from '../ports/source-states.js';

/**
 * What became of a fetched article: kept on the story (with the development it reports, or read
 * but not understood: no happening the extractor could tell, or a language it does not read), off
 * it, a copy of a stored URL, unreadable, or archived but too costly to clean in its budget.
 */
export type ArticleOutcome =
  | 'stored'
  | 'not-understood'
  | 'off-story'
  | 'duplicate'
  | 'skipped'
  | 'not-cleanable';
export type ArticleCounts = Readonly<Partial<Record<ArticleOutcome, number>>>;

export interface SourceHealth {
  readonly outlet: string;
  readonly failing: boolean;
  /** "3 failed checks in a row: HTTP 503", "never checked". */
  readonly note: string;
}

/** What was read to compose the digest: a quiet week reads as trustworthy, not as broken. */
export interface Coverage {
  readonly sourcesChecked: number;
  readonly sources: readonly SourceHealth[];
  readonly failingSources: readonly SourceHealth[];
  readonly articlesRead: number;
  readonly onStory: number;
  /** Of `onStory`, those read but not understood: kept, but telling no development. */
  readonly notUnderstood: number;
  readonly offStory: number;
  readonly duplicates: number;
  readonly unreadable: number;
  /** Archived, but over their processing budget: not read yet. */
  readonly notCleanable: number;
}

/** A source fails once its last check failed; a single failure already counts for the reader. */
export function coverageOf(
  sources: readonly { readonly outlet: string; readonly state: SourceState | undefined }[],
  counts: ArticleCounts,
): Coverage {
  const health = sources.map(({ outlet, state }): SourceHealth => {
    if (!state) return { outlet, failing: true, note: 'never checked' };
    if (state.consecutiveFailures === 0) return { outlet, failing: false, note: 'read' };
    const times = state.consecutiveFailures === 1 ? 'failed check' : 'failed checks in a row';
    const reason = state.lastError ? `: ${state.lastError}` : '';
    return { outlet, failing: true, note: `${state.consecutiveFailures} ${times}${reason}` };
  });
  const notUnderstood = counts['not-understood'] ?? 0;
  const onStory = (counts.stored ?? 0) + notUnderstood;
  const offStory = counts['off-story'] ?? 0;
  const duplicates = counts.duplicate ?? 0;
  const unreadable = counts.skipped ?? 0;
  return {
    sourcesChecked: health.filter((source) => source.note !== 'never checked').length,
    sources: health,
    failingSources: health.filter((source) => source.failing),
    articlesRead: onStory + offStory + duplicates,
    onStory,
    notUnderstood,
    offStory,
    duplicates,
    unreadable,
    notCleanable: counts['not-cleanable'] ?? 0,
  };
}
