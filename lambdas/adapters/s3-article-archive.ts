import { articleKey } from '../core/2-fetch/article-id.js';
import type { Article } from '../core/model/records.js';
import type { ArticleArchive } from '../core/ports/article-archive.js';
import { BucketObjects } from './s3-objects.js';

/** Clean articles, text included, as `articles/<id>.json`. */
export class S3ArticleArchive implements ArticleArchive {
  private readonly objects: BucketObjects;

  constructor(bucket: string) {
    this.objects = new BucketObjects(bucket);
  }

  async putArticle(article: Article): Promise<string> {
    const key = articleKey(article.id);
    await this.objects.put(key, JSON.stringify(article), 'application/json');
    return key;
  }

  async removeArticle(articleId: string): Promise<void> {
    await this.objects.delete(articleKey(articleId));
  }
}
