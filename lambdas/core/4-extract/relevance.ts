import type { Story } from '../model/story.js';
import { TermMatcher } from './term-matcher.js';

export interface Relevance {
  readonly relevant: boolean;
  /** 0..1: the share of required groups its headline and lead name (all of them, elsewhere). */
  readonly score: number;
  readonly reason: string;
}

/** The most of its first paragraph that counts as an article's lead. */
const LEAD_CHARS = 400;

/**
 * Decides whether an article is on the story: every `require` group must match at least once
 * (in any language its terms are written in), and an article about something else that names
 * the story in passing is not on it: its headline and lead name an `exclude` term (another
 * buyer, another programme) and miss one of the required groups. How often other countries or
 * systems are named further down does not count: an article on the story may well name them
 * more often than the story's own terms.
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

  judge(article: { readonly title: string; readonly text: string }): Relevance {
    const text = `${article.title}\n${article.text}`;
    const counts = this.groups.map((group) => group.matches(text).length);
    const missing = counts.indexOf(0);
    if (missing >= 0) {
      const group = this.groups.length > 1 ? ` (group ${missing + 1})` : '';
      return { relevant: false, score: 0, reason: `no required term${group} found` };
    }
    // The headline and the first paragraph say what an article is about.
    const firstParagraph = article.text.trimStart().split(/\n/, 1)[0] ?? '';
    const lead = `${article.title}\n${firstParagraph.slice(0, LEAD_CHARS)}`;
    const leading = this.exclusions.matches(lead);
    if (leading.length && this.groups.some((group) => group.matches(lead).length === 0)) {
      return {
        relevant: false,
        score: 0,
        reason: `about something else: its headline and lead name ${termsOf(leading)}, not the story`,
      };
    }
    const inLead = this.groups.filter((group) => group.matches(lead).length > 0).length;
    return {
      relevant: true,
      score: inLead / this.groups.length,
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
  return filter.judge({ title: item.title, text: item.summary });
}
