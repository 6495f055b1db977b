import type { LambdaFunctionURLEvent, LambdaFunctionURLResult } from 'aws-lambda';
import { DynamoRequestQuota } from '../adapters/dynamo-request-quota.js';
import { DynamoSubscriberStore } from '../adapters/dynamo-subscribers.js';
import { PowertoolsLog } from '../adapters/logger.js';
import { S3PageArchive } from '../adapters/s3-page-archive.js';
import { readSecretString } from '../adapters/secret-value.js';
import { SesMailer } from '../adapters/ses-mailer.js';
import { loadStoryFile } from '../adapters/story-file.js';
import { answerWebRequest } from '../core/7-web/answer-web-request.js';
import type { Page } from '../core/7-web/web-page.js';
import { readEnvironment } from './environment.js';

const env = readEnvironment(['STORY_PATH', 'TABLE_NAME', 'BUCKET_NAME', 'UNSUBSCRIBE_SECRET_ARN']);
const story = loadStoryFile(env.STORY_PATH);
const deps = {
  subscribers: new DynamoSubscriberStore(env.TABLE_NAME),
  quota: new DynamoRequestQuota(env.TABLE_NAME),
  // Sign-up confirmations only: from the story's sender, through its configuration set.
  mailer: new SesMailer(process.env.SES_CONFIGURATION_SET || undefined),
  pageArchive: new S3PageArchive(env.BUCKET_NAME),
  story,
  storyId: story.id,
  storyTitle: story.title,
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

/** Maps the Function URL event to a request for core/7-web, and its answer to a response. */
export async function handler(event: LambdaFunctionURLEvent): Promise<LambdaFunctionURLResult> {
  const answer = await answerWebRequest(
    {
      method: event.requestContext.http.method,
      path: event.rawPath,
      rawQuery: event.rawQueryString,
      query: event.queryStringParameters ?? {},
      body: event.isBase64Encoded
        ? Buffer.from(event.body ?? '', 'base64').toString('utf8')
        : (event.body ?? ''),
      sourceIp: event.requestContext.http.sourceIp,
      baseUrl: originOf(event),
    },
    deps,
  );
  return answer.audience === 'public'
    ? respondArchived(answer.page)
    : respondPrivate(answer.page, answer.allow);
}

/**
 * Where the request came to: the Function URL's own domain (set by Lambda, not by the client),
 * https unless the front says otherwise (the local runtime serves http on loopback). The web
 * function cannot be told its URL in its configuration: the URL exists only once it does.
 */
function originOf(event: LambdaFunctionURLEvent): string {
  const scheme = event.headers['x-forwarded-proto'] === 'http' ? 'http' : 'https';
  return `${scheme}://${event.requestContext.domainName}/`;
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
