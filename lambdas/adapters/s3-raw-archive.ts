import { gunzipSync, gzipSync } from 'node:zlib';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { StoryDigestError } from '../core/model/errors.js';
import type { RawArchive, RawResponseRecord } from '../core/ports/raw-archive.js';
import { BucketObjects, s3 } from './s3-objects.js';

/** Raw responses under `raw/`, gzipped JSON with the body in base64. */
export class S3RawArchive implements RawArchive {
  private readonly objects: BucketObjects;

  constructor(bucket: string) {
    this.objects = new BucketObjects(bucket);
  }

  async putRaw(key: string, response: RawResponseRecord): Promise<void> {
    const envelope = { ...response, body: Buffer.from(response.body).toString('base64') };
    await this.objects.put(key, gzipSync(JSON.stringify(envelope)), 'application/json', 'gzip');
  }

  async getRaw(key: string): Promise<RawResponseRecord> {
    const bytes = await this.objects.get(key);
    try {
      const envelope = JSON.parse(gunzipSync(bytes).toString('utf8')) as RawResponseRecord & {
        body: string;
      };
      return { ...envelope, body: new Uint8Array(Buffer.from(envelope.body, 'base64')) };
    } catch (error) {
      throw new StoryDigestError(`${this.objects.uri(key)}: not a raw response archive`, {
        cause: error,
      });
    }
  }

  async *listRawKeys(): AsyncIterable<string> {
    let token: string | undefined;
    do {
      const page = await s3.send(
        new ListObjectsV2Command({
          Bucket: this.objects.bucket,
          Prefix: 'raw/',
          ContinuationToken: token,
        }),
      );
      for (const object of page.Contents ?? []) if (object.Key) yield object.Key;
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }
}
