import type { ArchivedPage } from '../7-web/web-routes.js';

export interface DigestFiles {
  readonly html: string;
  readonly text: string;
  readonly json: string;
}

/** The story's public pages: each week's digest (its web copy) and the timeline. */
export interface PageArchive {
  /** Keeps a week's digest: `digests/<story>/<week>.html` (its web copy), `.txt` and `.json`. */
  putDigest(storyId: string, week: string, files: DigestFiles): Promise<{ htmlKey: string }>;
  /**
   * Keeps one year's timeline page, `digests/<story>/timeline-<year>.html`, and, when it is the
   * latest year's, `timeline.html` too.
   */
  putTimeline(
    storyId: string,
    year: number,
    html: string,
    latest: boolean,
  ): Promise<{ key: string }>;
  /** An archived web page (a week's web copy, the timeline); undefined when there is none. */
  getPage(storyId: string, page: ArchivedPage): Promise<string | undefined>;
}
