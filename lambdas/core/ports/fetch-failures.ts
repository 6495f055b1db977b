/** Why a URL's fetch last failed, as the fetcher recorded it. */
export interface FetchFailure {
  readonly reason: string;
  readonly failedAt: string;
  /** Failed attempts recorded for the URL, over every receive of its messages. */
  readonly attempts: number;
}

/**
 * The reason of each URL's last failed fetch (one that is retried, and after the last retry set
 * aside in the DLQ), so an operator listing the DLQ reads why each message is there.
 */
export interface FetchFailures {
  recordFailure(url: string, reason: string, at: string): Promise<void>;
  lastFailure(url: string): Promise<FetchFailure | undefined>;
}
