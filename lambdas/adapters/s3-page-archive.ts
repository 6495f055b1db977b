import { GetObjectCommand } from '@aws-sdk/client-s3';
import type { ArchivedPage } from '../core/7-web/web-routes.js';
import { StoryDigestError } from '../core/model/errors.js';
import type { DigestFiles, PageArchive } from '../core/ports/page-archive.js';
import { BucketObjects, s3 } from './s3-objects.js';

const HTML = 'text/html; charset=utf-8';

/** The story's public pages under `digests/<story>/`, the only prefix the web function reads. */
export class S3PageArchive implements PageArchive {
  private readonly objects: BucketObjects;

  constructor(bucket: string) {
    this.objects = new BucketObjects(bucket);
  }

  async putDigest(storyId: string, week: string, files: DigestFiles): Promise<{ htmlKey: string }> {
    const base = `digests/${storyId}/${week}`;
    await Promise.all([
      this.objects.put(`${base}.html`, files.html, HTML),
      this.objects.put(`${base}.txt`, files.text, 'text/plain; charset=utf-8'),
      this.objects.put(`${base}.json`, files.json, 'application/json'),
    ]);
    return { htmlKey: `${base}.html` };
  }

  async putTimeline(
    storyId: string,
    year: number,
    html: string,
    latest: boolean,
  ): Promise<{ key: string }> {
    const key = pageKey(storyId, { kind: 'timeline', year });
    await Promise.all([
      this.objects.put(key, html, HTML),
      ...(latest ? [this.objects.put(pageKey(storyId, { kind: 'timeline' }), html, HTML)] : []),
    ]);
    return { key };
  }

  async getPage(storyId: string, page: ArchivedPage): Promise<string | undefined> {
    const key = pageKey(storyId, page);
    try {
      const object = await s3.send(new GetObjectCommand({ Bucket: this.objects.bucket, Key: key }));
      return (await object.Body?.transformToString('utf8')) ?? '';
    } catch (error) {
      // The web function may get `digests/*` objects and nothing else, not even list the bucket,
      // and without s3:ListBucket S3 answers a missing key with 403 rather than 404.
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata
        ?.httpStatusCode;
      if (status === 404 || status === 403) return undefined;
      throw new StoryDigestError(`${this.objects.uri(key)}: read failed`, { cause: error });
    }
  }
}

/** The key of an archived page. */
function pageKey(storyId: string, page: ArchivedPage): string {
  if (page.kind === 'digest') return `digests/${storyId}/${page.week}.html`;
  return page.year === undefined
    ? `digests/${storyId}/timeline.html`
    : `digests/${storyId}/timeline-${page.year}.html`;
}
