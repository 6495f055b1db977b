import { createHash } from 'node:crypto';

/** A stable id for an article: the same canonical URL always gives the same id. */
export function articleId(canonical: string): string {
  return createHash('sha256').update(canonical).digest('hex').slice(0, 24);
}

export function rawKey(id: string): string {
  return `raw/${id}.json.gz`;
}

export function articleKey(id: string): string {
  return `articles/${id}.json`;
}
