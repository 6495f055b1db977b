/** A message the fetch queue set aside after its last failed receive. */
export interface DeadLetter {
  readonly messageId: string;
  readonly body: string;
  /** Receives of the message, in the fetch queue and since. */
  readonly receiveCount: number;
  /** When it was first sent to the fetch queue, when known. */
  readonly sentAt?: string;
}

/** The fetch queue's dead-letter queue. */
export interface DeadLetterQueue {
  /** Every message it holds; they stay there. */
  list(): Promise<DeadLetter[]>;
  /** Sends every message it holds back to the fetch queue, then deletes it here. */
  replay(): Promise<DeadLetter[]>;
}
