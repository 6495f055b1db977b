import type { LambdaFunctionURLEvent, LambdaFunctionURLResult } from 'aws-lambda';
import { DynamoSubscriberStore } from '../adapters/dynamo-subscribers.js';
import { PowertoolsLog } from '../adapters/logger.js';
import { readSecretString } from '../adapters/secret-value.js';
import { loadStoryFile } from '../adapters/story-file.js';
import {
  methodNotAllowedPage,
  notFoundPage,
  notOneClickPage,
  type Page,
  unsubscribePage,
} from '../core/unsubscribe-page.js';
import { answerUnsubscribe } from '../core/use-cases/unsubscribe.js';
import { readEnvironment } from './environment.js';

const env = readEnvironment(['STORY_PATH', 'TABLE_NAME', 'UNSUBSCRIBE_SECRET_ARN']);
const story = loadStoryFile(env.STORY_PATH);
const deps = {
  subscribers: new DynamoSubscriberStore(env.TABLE_NAME),
  storyId: story.id,
  secret: await readSecretString(env.UNSUBSCRIBE_SECRET_ARN),
  log: new PowertoolsLog(),
  now: () => new Date(),
};

/**
 * The public pages behind the Function URL: only `/unsubscribe`. GET shows a confirmation
 * with a button (mail scanners follow links, so a GET changes nothing); POST with the RFC 8058
 * body `List-Unsubscribe=One-Click`, sent by mail clients and by that button, unsubscribes.
 */
export async function handler(event: LambdaFunctionURLEvent): Promise<LambdaFunctionURLResult> {
  if (event.rawPath !== '/unsubscribe') return respond(notFoundPage());
  const method = event.requestContext.http.method;
  if (method !== 'GET' && method !== 'POST') return respond(methodNotAllowedPage(method), true);
  if (method === 'POST' && !isOneClickBody(event)) return respond(notOneClickPage());
  const query = event.queryStringParameters ?? {};
  const params = { story: query.story, address: query.address, token: query.token };
  const outcome = await answerUnsubscribe(
    method === 'GET' ? 'confirm' : 'unsubscribe',
    params,
    deps,
  );
  return respond(unsubscribePage(outcome, story.title, `/unsubscribe?${event.rawQueryString}`));
}

function isOneClickBody(event: LambdaFunctionURLEvent): boolean {
  const body = event.isBase64Encoded
    ? Buffer.from(event.body ?? '', 'base64').toString('utf8')
    : (event.body ?? '');
  return new URLSearchParams(body).get('List-Unsubscribe') === 'One-Click';
}

function respond(page: Page, allowHeader = false): LambdaFunctionURLResult {
  return {
    statusCode: page.status,
    headers: {
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      // The URL carries the reader's address and token: never pass it on, never index it.
      'Referrer-Policy': 'no-referrer',
      'X-Robots-Tag': 'noindex',
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy':
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
      ...(allowHeader ? { Allow: 'GET, POST' } : {}),
    },
    body: page.html,
  };
}
