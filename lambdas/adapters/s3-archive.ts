import { gunzipSync, gzipSync } from 'node:zlib';
import {
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { articleKey } from '../core/2-fetch/article-id.js';
import type { ArchivedPage } from '../core/7-web/web-routes.js';
import { StoryDigestError } from '../core/model/errors.js';
import type { Article } from '../core/model/records.js';
import type { ArchiveStore, DigestFiles, RawResponseRecord } from '../core/ports/ports.js';

const s3 = new S3Client({});

/** The archive bucket: raw responses (gzipped JSON), clean articles and digests. */
export class S3Archive implements ArchiveStore {
  constructor(private readonly bucket: string) {}

  async putRaw(key: string, response: RawResponseRecord): Promise<void> {
    const envelope = { ...response, body: Buffer.from(response.body).toString('base64') };
    await this.put(key, gzipSync(JSON.stringify(envelope)), 'application/json', 'gzip');
  }

  async getRaw(key: string): Promise<RawResponseRecord> {
    const bytes = await this.get(key);
    try {
      const envelope = JSON.parse(gunzipSync(bytes).toString('utf8')) as RawResponseRecord & {
        body: string;
      };
      return { ...envelope, body: new Uint8Array(Buffer.from(envelope.body, 'base64')) };
    } catch (error) {
      throw new StoryDigestError(`s3://${this.bucket}/${key}: not a raw response archive`, {
        cause: error,
      });
    }
  }

  async *listRawKeys(): AsyncIterable<string> {
    let token: string | undefined;
    do {
      const page = await s3.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: 'raw/', ContinuationToken: token }),
      );
      for (const object of page.Contents ?? []) if (object.Key) yield object.Key;
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  async putArticle(article: Article): Promise<string> {
    const key = articleKey(article.id);
    await this.put(key, JSON.stringify(article), 'application/json');
    return key;
  }

  async putDigest(storyId: string, week: string, files: DigestFiles): Promise<{ htmlKey: string }> {
    const base = `digests/${storyId}/${week}`;
    await Promise.all([
      this.put(`${base}.html`, files.html, 'text/html; charset=utf-8'),
      this.put(`${base}.txt`, files.text, 'text/plain; charset=utf-8'),
      this.put(`${base}.json`, files.json, 'application/json'),
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
      this.put(key, html, 'text/html; charset=utf-8'),
      ...(latest
        ? [this.put(pageKey(storyId, { kind: 'timeline' }), html, 'text/html; charset=utf-8')]
        : []),
    ]);
    return { key };
  }

  async getPage(storyId: string, page: ArchivedPage): Promise<string | undefined> {
    const key = pageKey(storyId, page);
    try {
      const object = await s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return (await object.Body?.transformToString('utf8')) ?? '';
    } catch (error) {
      // The web function may get `digests/*` objects and nothing else, not even list the bucket,
      // and without s3:ListBucket S3 answers a missing key with 403 rather than 404.
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata
        ?.httpStatusCode;
      if (status === 404 || status === 403) return undefined;
      throw new StoryDigestError(`s3://${this.bucket}/${key}: read failed`, { cause: error });
    }
  }

  private async put(
    key: string,
    body: string | Uint8Array,
    contentType: string,
    encoding?: string,
  ) {
    try {
      await s3.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: body,
          ContentType: contentType,
          ...(encoding ? { ContentEncoding: encoding } : {}),
        }),
      );
    } catch (error) {
      throw new StoryDigestError(`s3://${this.bucket}/${key}: write failed`, { cause: error });
    }
  }

  private async get(key: string): Promise<Uint8Array> {
    try {
      const object = await s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      if (!object.Body) throw new Error('empty body');
      return await object.Body.transformToByteArray();
    } catch (error) {
      throw new StoryDigestError(`s3://${this.bucket}/${key}: read failed`, { cause: error });
    }
  }
}

/** The key of an archived page: under `digests/<story>/`, the only prefix the web function reads. */
function pageKey(storyId: string, page: ArchivedPage): string {
  if (page.kind === 'digest') return `digests/${storyId}/${page.week}.html`;
  return page.year === undefined
    ? `digests/${storyId}/timeline.html`
    : `digests/${storyId}/timeline-${page.year}.html`;
}
