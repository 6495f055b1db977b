import { mentionId } from '../5-cluster/developments.js';
import type { ArticleArchive } from '../ports/article-archive.js';
import type { ArticleStore } from '../ports/article-store.js';
import type { DevelopmentStore } from '../ports/development-store.js';

/** What re-processing needs to withdraw what an article contributed before. */
export interface RetractionDeps {
  readonly articles: Pick<ArticleStore, 'getArticle' | 'removeArticle'>;
  readonly articleArchive: Pick<ArticleArchive, 'removeArticle'>;
  readonly developments: Pick<DevelopmentStore, 'retractReport'>;
}

/**
 * Withdraws everything an earlier cleaning and extraction stored for the article: its report of
 * its development (the development goes with its index entries when no other report is left),
 * its events, its fingerprint, with `archived: 'remove'` its clean copy, and its record. The
 * record goes last: it is how a retraction cut short is found again, so repeating one finishes
 * it. False when nothing was stored for the article.
 */
export async function retractArticle(
  articleId: string,
  deps: RetractionDeps,
  options: { readonly archived: 'keep' | 'remove' },
): Promise<boolean> {
  const previous = await deps.articles.getArticle(articleId);
  if (!previous) return false;
  // One development per article, named after its canonical URL as it was stored then.
  await deps.developments.retractReport(mentionId(previous.storyId, previous.url), articleId);
  if (options.archived === 'remove') await deps.articleArchive.removeArticle(articleId);
  await deps.articles.removeArticle(previous);
  return true;
}
