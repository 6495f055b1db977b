import type { PageArchive } from '../ports/page-archive.js';
import { notFoundPage, type Page } from './web-page.js';
import type { ArchivedPage } from './web-routes.js';

/**
 * A page of the story's web archive, as the digest run left it: a week's web copy or the
 * timeline. One that was never archived (a week not sent yet) is not found.
 */
export async function showArchivedPage(
  page: ArchivedPage,
  deps: { readonly pageArchive: Pick<PageArchive, 'getPage'>; readonly storyId: string },
): Promise<Page> {
  const html = await deps.pageArchive.getPage(deps.storyId, page);
  return html === undefined ? notFoundPage() : { status: 200, html };
}
