import type { Story } from '../model/story.js';
import { TermMatcher } from './term-matcher.js';

export interface Relevance {
  readonly relevant: boolean;
  /** 0..1: the share of required groups matched, discounted when an exclusion dominates. */
  readonly score: number;
  readonly reason: string;
}

/**
 * Decides whether a text (headline, a line break, then the text) is on the story: every
 * `require` group must match at least once, and an article about another buyer is off the story
 * even when it mentions the story in passing: its headline and lead name an `exclude` term and
 * miss a required group, or `exclude` terms outnumber the story's own terms.
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
    // An article about another buyer names it, not one of the story's own terms, where it says
    // what it is about: the headline and the lead.
    const head = text.split(/\n\s*\n/, 1)[0] ?? text;
    const leading = this.exclusions.matches(head);
    if (leading.length && this.groups.some((group) => group.matches(head).length === 0)) {
      return {
        relevant: false,
        score: 0,
        reason: `about something else: its headline and lead name ${termsOf(leading)}, not the story`,
      };
    }
    const excluded = this.exclusions.matches(text);
    const weakest = Math.min(...counts);
    if (excluded.length > weakest) {
      return {
        relevant: false,
        score: weakest / (weakest + excluded.length),
        reason: `about something else: ${termsOf(excluded)} outnumber the story's terms`,
      };
    }
    return {
      relevant: true,
      score: excluded.length ? weakest / (weakest + excluded.length) : 1,
      reason: 'every required term group found',
    };
  }
}

function termsOf(matches: readonly { term: string }[]): string {
  return [...new Set(matches.map((match) => match.term))].slice(0, 3).join(', ');
}

/**
 * The pre-filter on a listed item (a feed entry, a sitemap page) before it is fetched: judged on
 * its title and summary. Items without a summary cannot be judged there (a title alone is too
 * short to hold every required group): they pass, and the fetcher judges them on their text.
 */
export function listedItemRelevance(
  filter: RelevanceFilter,
  item: { readonly title: string; readonly summary: string | undefined },
): Pick<Relevance, 'relevant' | 'reason'> {
  if (!item.summary) return { relevant: true, reason: 'no summary: judged after fetching' };
  return filter.judge(`${item.title}\n${item.summary}`);
}
