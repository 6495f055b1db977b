import { articleKey } from '../core/2-fetch/article-id.js';
import type { Article, StoryEvent } from '../core/model/records.js';
import type { ArchivedArticle, ArticleArchive } from '../core/ports/article-archive.js';
import { BucketObjects } from './s3-objects.js';

/** Clean articles, text and events included, as `articles/<id>.json`. */
export class S3ArticleArchive implements ArticleArchive {
  private readonly objects: BucketObjects;

  constructor(bucket: string) {
    this.objects = new BucketObjects(bucket);
  }

  async putArticle(article: Article, events: readonly StoryEvent[]): Promise<string> {
    const key = articleKey(article.id);
    const archived: ArchivedArticle = { ...article, events };
    await this.objects.put(key, JSON.stringify(archived), 'application/json');
    return key;
  }

  async removeArticle(articleId: string): Promise<void> {
    await this.objects.delete(articleKey(articleId));
  }
}
