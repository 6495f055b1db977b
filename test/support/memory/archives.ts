import type { ArchivedPage } from '../../../lambdas/core/7-web/web-routes.js';
import type { Article, StoryEvent } from '../../../lambdas/core/model/records.js';
import type {
  ArchivedArticle,
  ArticleArchive,
} from '../../../lambdas/core/ports/article-archive.js';
import type { DigestFiles, PageArchive } from '../../../lambdas/core/ports/page-archive.js';
import type { RawArchive, RawResponseRecord } from '../../../lambdas/core/ports/raw-archive.js';

export class MemoryRawArchive implements RawArchive {
  readonly records = new Map<string, RawResponseRecord>();

  async putRaw(key: string, response: RawResponseRecord): Promise<void> {
    this.records.set(key, response);
  }

  async getRaw(key: string): Promise<RawResponseRecord> {
    const record = this.records.get(key);
    if (!record) throw new Error(`no raw record ${key}`);
    return record;
  }

  async *listRawKeys(): AsyncIterable<string> {
    yield* [...this.records.keys()].sort();
  }
}

export class MemoryArticleArchive implements ArticleArchive {
  readonly articles = new Map<string, ArchivedArticle>();

  async putArticle(article: Article, events: readonly StoryEvent[]): Promise<string> {
    this.articles.set(article.id, { ...article, events });
    return `articles/${article.id}.json`;
  }

  async removeArticle(articleId: string): Promise<void> {
    this.articles.delete(articleId);
  }
}

export class MemoryPageArchive implements PageArchive {
  /** Archived pages by their web path below the story: "2019-W29", "timeline", "timeline-2019". */
  readonly pages = new Map<string, string>();
  readonly digests = new Map<string, DigestFiles>();

  async putDigest(storyId: string, week: string, files: DigestFiles): Promise<{ htmlKey: string }> {
    this.digests.set(week, files);
    this.pages.set(week, files.html);
    return { htmlKey: `digests/${storyId}/${week}.html` };
  }

  async putTimeline(
    storyId: string,
    year: number,
    html: string,
    latest: boolean,
  ): Promise<{ key: string }> {
    this.pages.set(`timeline-${year}`, html);
    if (latest) this.pages.set('timeline', html);
    return { key: `digests/${storyId}/timeline-${year}.html` };
  }

  async getPage(_storyId: string, page: ArchivedPage): Promise<string | undefined> {
    if (page.kind === 'digest') return this.pages.get(page.week);
    return this.pages.get(page.year === undefined ? 'timeline' : `timeline-${page.year}`);
  }
}
