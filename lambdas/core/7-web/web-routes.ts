import { mondayOf } from '../model/iso-week.js';

/**
 * The web function's addresses, built here for the links in emails and parsed here from
 * requests, so the two cannot drift apart:
 *
 * - `/unsubscribe?…`: the one-click unsubscribe pages;
 * - `/digests/<storyId>/<week>`: a week's digest as archived (its web copy);
 * - `/timeline/<storyId>`: the story's developments of the latest year, newest first;
 * - `/timeline/<storyId>/<year>`: those of one year (a page per year keeps each page, and the
 *   digest run that writes it, bounded however long the story runs);
 * - `/subscribe/<storyId>`: the sign-up form; `/subscribe/<storyId>/confirm?…`: the page a
 *   confirmation link opens.
 */
export type WebRoute =
  | { readonly kind: 'unsubscribe' }
  | { readonly kind: 'digest'; readonly week: string }
  | { readonly kind: 'timeline'; readonly year?: number }
  | { readonly kind: 'subscribe' }
  | { readonly kind: 'confirmSubscription' }
  | { readonly kind: 'notFound' };

/** An archived page: what `digest` and `timeline` routes read from the archive. */
export type ArchivedPage = Extract<WebRoute, { kind: 'digest' } | { kind: 'timeline' }>;

/** The web copy of a week's digest: `<base>/digests/<storyId>/<week>`. */
export function digestWebUrl(baseUrl: string, storyId: string, week: string): string {
  return new URL(`digests/${encodeURIComponent(storyId)}/${week}`, asBase(baseUrl)).toString();
}

/** The story's timeline page: `<base>/timeline/<storyId>`, or one year's, `…/<year>`. */
export function timelineWebUrl(baseUrl: string, storyId: string, year?: number): string {
  const path = `timeline/${encodeURIComponent(storyId)}${year === undefined ? '' : `/${year}`}`;
  return new URL(path, asBase(baseUrl)).toString();
}

/** The sign-up form: `<base>/subscribe/<storyId>`. */
export function subscribeWebUrl(baseUrl: string, storyId: string): string {
  return new URL(`subscribe/${encodeURIComponent(storyId)}`, asBase(baseUrl)).toString();
}

/** Where a confirmation link leads, before its query: `<base>/subscribe/<storyId>/confirm`. */
export function confirmSubscriptionWebUrl(baseUrl: string, storyId: string): string {
  return new URL(`subscribe/${encodeURIComponent(storyId)}/confirm`, asBase(baseUrl)).toString();
}

const SUBSCRIBE_PATH = /^\/subscribe\/([^/]+)(\/confirm)?$/;
const DIGEST_PATH = /^\/digests\/([^/]+)\/(\d{4}-W\d{2})$/;
const TIMELINE_PATH = /^\/timeline\/([^/]+)(?:\/((?:19|20)\d{2}))?$/;

/**
 * What a request path asks for. Strict, since its parts end up in archive keys: only this
 * deployment's story, only a week that exists (`YYYY-Www`); anything else is not found.
 */
export function webRouteOf(path: string, storyId: string): WebRoute {
  if (path === '/unsubscribe') return { kind: 'unsubscribe' };
  const subscribe = SUBSCRIBE_PATH.exec(path);
  if (subscribe?.[1] === storyId) {
    return { kind: subscribe[2] ? 'confirmSubscription' : 'subscribe' };
  }
  const digest = DIGEST_PATH.exec(path);
  if (digest?.[1] === storyId && digest[2] && isWeek(digest[2]))
    return { kind: 'digest', week: digest[2] };
  const timeline = TIMELINE_PATH.exec(path);
  if (timeline?.[1] === storyId) {
    return timeline[2] ? { kind: 'timeline', year: Number(timeline[2]) } : { kind: 'timeline' };
  }
  return { kind: 'notFound' };
}

function isWeek(week: string): boolean {
  try {
    mondayOf(week);
    return true;
  } catch {
    return false;
  }
}

/** A base URL resolves relative paths below it only when it ends with a slash. */
function asBase(baseUrl: string): string {
  return baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
}
