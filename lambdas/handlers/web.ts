import type { LambdaFunctionURLEvent, LambdaFunctionURLResult } from 'aws-lambda';
import { DynamoSubscriberStore } from '../adapters/dynamo-subscribers.js';
import { PowertoolsLog } from '../adapters/logger.js';
import { S3Archive } from '../adapters/s3-archive.js';
import { readSecretString } from '../adapters/secret-value.js';
import { loadStoryFile } from '../adapters/story-file.js';
import { showArchivedPage } from '../core/7-web/show-archived-page.js';
import { notOneClickPage, unsubscribePage } from '../core/7-web/unsubscribe-page.js';
import { methodNotAllowedPage, notFoundPage, type Page } from '../core/7-web/web-page.js';
import { webRouteOf } from '../core/7-web/web-routes.js';
import { answerUnsubscribe } from '../core/subscribers/unsubscribe.js';
import { readEnvironment } from './environment.js';

const env = readEnvironment(['STORY_PATH', 'TABLE_NAME', 'BUCKET_NAME', 'UNSUBSCRIBE_SECRET_ARN']);
const story = loadStoryFile(env.STORY_PATH);
const deps = {
  subscribers: new DynamoSubscriberStore(env.TABLE_NAME),
  archive: new S3Archive(env.BUCKET_NAME),
  storyId: story.id,
  secret: await readSecretString(env.UNSUBSCRIBE_SECRET_ARN),
  log: new PowertoolsLog({ storyId: story.id }),
  now: () => new Date(),
};

/** Headers of every answer: never framed, never sniffed, never indexed, no referrer passed on. */
const COMMON_HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Referrer-Policy': 'no-referrer',
  'X-Robots-Tag': 'noindex',
  'X-Content-Type-Options': 'nosniff',
};

/**
 * The public pages behind the Function URL (paths in core/web-routes.ts):
 *
 * - `/unsubscribe`: GET shows a confirmation with a button (mail scanners follow links, so a GET
 *   changes nothing); POST with the RFC 8058 body `List-Unsubscribe=One-Click`, sent by mail
 *   clients and by that button, unsubscribes;
 * - `/digests/<story>/<week>` and `/timeline/<story>`: the archived web copy of a week's digest
 *   and the story's timeline, read from the archive.
 */
export async function handler(event: LambdaFunctionURLEvent): Promise<LambdaFunctionURLResult> {
  const route = webRouteOf(event.rawPath, story.id);
  const method = event.requestContext.http.method;
  switch (route.kind) {
    case 'notFound':
      return respondPrivate(notFoundPage());
    case 'unsubscribe':
      return unsubscribe(event, method);
    default:
      if (method !== 'GET' && method !== 'HEAD')
        return respondPrivate(methodNotAllowedPage(method), 'GET, HEAD');
      return respondArchived(await showArchivedPage(route, deps));
  }
}

async function unsubscribe(
  event: LambdaFunctionURLEvent,
  method: string,
): Promise<LambdaFunctionURLResult> {
  if (method !== 'GET' && method !== 'POST')
    return respondPrivate(methodNotAllowedPage(method), 'GET, POST');
  if (method === 'POST' && !isOneClickBody(event)) return respondPrivate(notOneClickPage());
  const query = event.queryStringParameters ?? {};
  const params = { story: query.story, address: query.address, token: query.token };
  const outcome = await answerUnsubscribe(
    method === 'GET' ? 'confirm' : 'unsubscribe',
    params,
    deps,
  );
  return respondPrivate(
    unsubscribePage(outcome, story.title, `/unsubscribe?${event.rawQueryString}`),
  );
}

function isOneClickBody(event: LambdaFunctionURLEvent): boolean {
  const body = event.isBase64Encoded
    ? Buffer.from(event.body ?? '', 'base64').toString('utf8')
    : (event.body ?? '');
  return new URLSearchParams(body).get('List-Unsubscribe') === 'One-Click';
}

/** The unsubscribe pages and errors: their URL may carry a reader's address and token. */
function respondPrivate(page: Page, allow?: string): LambdaFunctionURLResult {
  return {
    statusCode: page.status,
    headers: {
      ...COMMON_HEADERS,
      'Cache-Control': 'no-store',
      'Content-Security-Policy':
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
      ...(allow ? { Allow: allow } : {}),
    },
    body: page.html,
  };
}

/**
 * A digest's web copy or the timeline: the same for every reader (no personal data), so a
 * browser or proxy may keep it a few minutes; no scripts, forms or other resources.
 */
function respondArchived(page: Page): LambdaFunctionURLResult {
  return {
    statusCode: page.status,
    headers: {
      ...COMMON_HEADERS,
      'Cache-Control': page.status === 200 ? 'public, max-age=300' : 'no-store',
      'Content-Security-Policy':
        "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    },
    body: page.html,
  };
}
