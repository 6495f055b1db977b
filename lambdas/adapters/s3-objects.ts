import {
  DeleteObjectCommand,
  GetObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { StoryDigestError } from '../core/model/errors.js';

/** The process's one S3 client, shared by every adapter of the archive bucket. */
export const s3 = new S3Client({});

/** Objects of one bucket, with errors that name the object. */
export class BucketObjects {
  constructor(readonly bucket: string) {}

  async put(key: string, body: string | Uint8Array, contentType: string, encoding?: string) {
    try {
      await s3.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: body,
          ContentType: contentType,
          ContentEncoding: encoding,
        }),
      );
    } catch (error) {
      throw new StoryDigestError(`${this.uri(key)}: write failed`, { cause: error });
    }
  }

  async get(key: string): Promise<Uint8Array> {
    try {
      const object = await s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      if (!object.Body) throw new Error('empty body');
      return await object.Body.transformToByteArray();
    } catch (error) {
      throw new StoryDigestError(`${this.uri(key)}: read failed`, { cause: error });
    }
  }

  /** Deleting a key that holds nothing succeeds, as S3 does. */
  async delete(key: string): Promise<void> {
    try {
      await s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
    } catch (error) {
      throw new StoryDigestError(`${this.uri(key)}: delete failed`, { cause: error });
    }
  }

  uri(key: string): string {
    return `s3://${this.bucket}/${key}`;
  }
}
