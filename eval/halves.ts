import { createHash } from 'node:crypto';

export type Half = 'tuned' | 'held-out';
export const HALVES: readonly Half[] = ['tuned', 'held-out'];

/**
 * The half an item belongs to, by a stable hash of its key: `tuned` may be studied and changed
 * on, `held-out` only measured. A gain on the tuned half that the held-out half does not share
 * is fitting, not progress.
 */
export function halfOf(key: string): Half {
  const first = createHash('sha1').update(key).digest()[0] ?? 0;
  return first % 2 === 0 ? 'tuned' : 'held-out';
}
