import type { FetchRequest } from './fetch-queue.js';
import type { HttpResponse } from './http.js';

/** The archived response with the request that led to it: enough to re-process offline. */
export interface RawResponseRecord extends HttpResponse {
  readonly fetchedAt: string;
  readonly request: FetchRequest;
}

/** Every fetched response as it came, kept before any parsing. */
export interface RawArchive {
  putRaw(key: string, response: RawResponseRecord): Promise<void>;
  getRaw(key: string): Promise<RawResponseRecord>;
  listRawKeys(): AsyncIterable<string>;
}
