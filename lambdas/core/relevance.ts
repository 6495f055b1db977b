import type { Story } from './story.js';
import { TermMatcher } from './term-matcher.js';

export interface Relevance {
  readonly relevant: boolean;
  /** 0..1: the share of required groups matched, discounted when an exclusion dominates. */
  readonly score: number;
  readonly reason: string;
}

/**
 * Decides whether a text is on the story: every `require` group must match at least once, and
 * an article about another buyer (an `exclude` term mentioned more often than the story's own
 * place terms) is off the story even when it mentions them in passing.
 */
export class RelevanceFilter {
  private readonly groups: TermMatcher<string>[];
  private readonly exclusions: TermMatcher<string>;

  constructor(relevance: Story['relevance']) {
    this.groups = relevance.require.map(
      (group) => new TermMatcher(group.map((term) => [term, term] as const)),
    );
    this.exclusions = new TermMatcher(relevance.exclude.map((term) => [term, term] as const));
  }

  judge(text: string): Relevance {
    const counts = this.groups.map((group) => group.matches(text).length);
    const missing = counts.indexOf(0);
    if (missing >= 0) {
      const group = this.groups.length > 1 ? ` (group ${missing + 1})` : '';
      return { relevant: false, score: 0, reason: `no required term${group} found` };
    }
    const excluded = this.exclusions.matches(text);
    const weakest = Math.min(...counts);
    if (excluded.length > weakest) {
      const terms = [...new Set(excluded.map((match) => match.term))].slice(0, 3).join(', ');
      return {
        relevant: false,
        score: weakest / (weakest + excluded.length),
        reason: `about something else: ${terms} outnumber the story's terms`,
      };
    }
    return {
      relevant: true,
      score: excluded.length ? weakest / (weakest + excluded.length) : 1,
      reason: 'every required term group found',
    };
  }
}
