/**
 * The account's SES sending rate, shared by every sender at once: each send needs a slot, and
 * slots are handed out at most `perSecond` a second across all of them.
 */
export interface SendRate {
  /**
   * Reserves `count` consecutive slots `intervalMs` apart (`intervalMs` = 1000 / rate) and
   * returns the first one's time (epoch ms): slot i is `first + i * intervalMs`.
   */
  reserve(count: number, intervalMs: number): Promise<number>;
  /** Hands out no slot before `until` (epoch ms): SES said the rate was exceeded. */
  pause(until: number): Promise<void>;
}
