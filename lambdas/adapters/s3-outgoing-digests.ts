import { GetObjectCommand } from '@aws-sdk/client-s3';
import { StoryDigestError } from '../core/model/errors.js';
import type { OutgoingDigest, OutgoingDigests } from '../core/ports/outgoing-digests.js';
import { BucketObjects, s3 } from './s3-objects.js';

/**
 * `outgoing/<story>/<week>.json`: the week's email for the senders. Apart from `digests/`,
 * which the public web function reads. A sender's container keeps the week it read: every batch
 * of a week needs the same object, and a week's email never changes once readers are queued.
 */
export class S3OutgoingDigests implements OutgoingDigests {
  private readonly objects: BucketObjects;
  private cached: OutgoingDigest | undefined;

  constructor(bucket: string) {
    this.objects = new BucketObjects(bucket);
  }

  async put(digest: OutgoingDigest): Promise<void> {
    await this.objects.put(
      outgoingKey(digest.storyId, digest.week),
      JSON.stringify(digest),
      'application/json',
    );
  }

  async get(storyId: string, week: string): Promise<OutgoingDigest | undefined> {
    if (this.cached?.storyId === storyId && this.cached.week === week) return this.cached;
    const key = outgoingKey(storyId, week);
    try {
      const object = await s3.send(new GetObjectCommand({ Bucket: this.objects.bucket, Key: key }));
      this.cached = JSON.parse((await object.Body?.transformToString('utf8')) ?? '');
      return this.cached;
    } catch (error) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata
        ?.httpStatusCode;
      if (status === 404) return undefined;
      throw new StoryDigestError(`${this.objects.uri(key)}: read failed`, { cause: error });
    }
  }
}

function outgoingKey(storyId: string, week: string): string {
  return `outgoing/${storyId}/${week}.json`;
}
