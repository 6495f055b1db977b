/** A long run's advance, for an operator watching it (the CLI's progress bar); Lambda has none. */
export interface Progress {
  /** A phase begins; `total` is its number of items when known. */
  phase(name: string, total: number | undefined): void;
  /** `count` more items of the current phase are done. */
  advance(count: number): void;
}
