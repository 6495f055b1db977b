/** How far a week's delivery got: written by the digest run (queued) and the senders. */
export interface DeliveryCounts {
  readonly queued: number;
  readonly sent: number;
  /** Unsubscribed or suppressed between the queueing and their turn: not sent, on purpose. */
  readonly suppressed: number;
  /** Set aside in the delivery DLQ after every attempt. */
  readonly failed: number;
}

export interface DeliveryRun extends DeliveryCounts {
  /** The last subscriber address queued: a run that stopped resumes after it. */
  readonly cursor?: string;
  /** Every active subscriber was queued. */
  readonly complete: boolean;
  /** When the run first queued readers. */
  readonly startedAt?: string;
}

/** One record per story and week: the queueing's progress and the delivery's counters. */
export interface DeliveryRuns {
  get(storyId: string, week: string): Promise<DeliveryRun | undefined>;
  /**
   * Records that the readers after `from` up to `cursor` were queued (`queued` of them), only
   * if the run's cursor is still `from` (a concurrent run did not move it); false otherwise.
   */
  advance(
    storyId: string,
    week: string,
    step: {
      readonly from: string | undefined;
      readonly cursor: string | undefined;
      readonly queued: number;
      readonly complete: boolean;
      readonly at: string;
    },
  ): Promise<boolean>;
  /** Adds a sender's outcome to the counters. */
  count(
    storyId: string,
    week: string,
    counts: Partial<Pick<DeliveryCounts, 'sent' | 'suppressed' | 'failed'>>,
  ): Promise<void>;
}
