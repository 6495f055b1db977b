import type { EmailContent } from '../6-digest/personalise.js';

/**
 * The week's email as composed once by the digest run, for every reader: the subject, HTML and
 * text with a placeholder where each reader's unsubscribe link goes.
 */
export interface OutgoingDigest extends EmailContent {
  readonly storyId: string;
  readonly week: string;
  readonly from: string;
  readonly developments: number;
}

export interface OutgoingDigests {
  put(digest: OutgoingDigest): Promise<void>;
  /** Undefined when the week was never composed. */
  get(storyId: string, week: string): Promise<OutgoingDigest | undefined>;
}
