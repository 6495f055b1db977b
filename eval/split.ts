import { createHash } from 'node:crypto';

/**
 * Two halves of a reference set, fixed by a hash of each page's id rather than by order or by
 * hand, so that a set grows without pages changing sides and nobody chooses which pages the
 * cleaner is tuned on. Changes are made looking at the tuned half only; the held-out half says
 * whether they generalise.
 */
export type Half = 'tuned' | 'held-out';

export const HALVES: readonly Half[] = ['tuned', 'held-out'];

/** The half a page belongs to: the first byte of sha1(id), even → tuned, odd → held-out. */
export function halfOf(id: string): Half {
  const first = createHash('sha1').update(id, 'utf8').digest()[0] ?? 0;
  return first % 2 === 0 ? 'tuned' : 'held-out';
}

/** The entries of a record keyed by page id, in the given half (key order kept). */
export function inHalf<T>(
  records: Readonly<Record<string, T>>,
  half: Half,
  idOf: (key: string, value: T) => string = (key) => key,
): Record<string, T> {
  return Object.fromEntries(
    Object.entries(records).filter(([key, value]) => halfOf(idOf(key, value)) === half),
  );
}
