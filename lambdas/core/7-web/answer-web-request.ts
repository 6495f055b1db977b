import type { PageArchive } from '../ports/page-archive.js';
import { confirmSignUp, requestSignUp, type SignUpDeps } from '../subscribers/sign-up.js';
import { answerUnsubscribe, type UnsubscribeDeps } from '../subscribers/unsubscribe.js';
import { showArchivedPage } from './show-archived-page.js';
import { confirmPage, HONEYPOT_FIELD, signUpAnswerPage, signUpFormPage } from './sign-up-page.js';
import { unsubscribePage } from './unsubscribe-page.js';
import { methodNotAllowedPage, notFoundPage, type Page } from './web-page.js';
import { webRouteOf } from './web-routes.js';

/** A request to the web function, as the handler reads it off its Function URL event. */
export interface WebRequest {
  readonly method: string;
  readonly path: string;
  /** The query string as sent (the form on a confirmation page posts back to it). */
  readonly rawQuery: string;
  readonly query: Readonly<Record<string, string | undefined>>;
  /**
   * The body, decoded to text. The unsubscribe route does not read it: the signed link alone
   * decides (see answerWebRequest).
   */
  readonly body: string;
  /** The client's IP address (the sign-up form's limit per source). */
  readonly sourceIp: string;
  /** The origin the request came to, with a trailing slash: where emailed links lead back. */
  readonly baseUrl: string;
}

/**
 * A page and how it may be kept: `private` pages (the unsubscribe flow, errors) may carry a
 * reader's address and are never cached; `public` ones (a week's web copy, the timeline) are
 * the same for everyone.
 */
export interface WebAnswer {
  readonly page: Page;
  readonly audience: 'private' | 'public';
  /** The methods the path allows, on a 405. */
  readonly allow?: string;
}

export interface WebDeps extends UnsubscribeDeps, Omit<SignUpDeps, 'subscribers'> {
  readonly pageArchive: Pick<PageArchive, 'getPage'>;
  readonly storyTitle: string;
}

/**
 * The public pages behind the Function URL (paths in web-routes.ts):
 *
 * - `/unsubscribe`: GET shows a confirmation with a button (mail scanners follow links, so a GET
 *   changes nothing); any POST to a correctly signed link unsubscribes. RFC 8058 clients send
 *   `List-Unsubscribe=One-Click` urlencoded or, as the RFC recommends, as `multipart/form-data`;
 *   some send nothing. Scanners do not POST, and only the link's signature proves the reader
 *   asked, so the body is not what decides: refusing an unusual one would only keep a reader
 *   subscribed against their will;
 * - `/subscribe/<story>`: GET shows the sign-up form, POST asks for a confirmation link;
 *   `/subscribe/<story>/confirm`: GET shows the link's page, its button (POST) confirms;
 * - `/digests/<story>/<week>` and `/timeline/<story>`: the archived web copy of a week's digest
 *   and the story's timeline, read from the archive.
 */
export async function answerWebRequest(request: WebRequest, deps: WebDeps): Promise<WebAnswer> {
  const route = webRouteOf(request.path, deps.storyId);
  const { method } = request;
  switch (route.kind) {
    case 'notFound':
      return { page: notFoundPage(), audience: 'private' };
    case 'unsubscribe': {
      if (method !== 'GET' && method !== 'POST') {
        return { page: methodNotAllowedPage(method), audience: 'private', allow: 'GET, POST' };
      }
      const { story, address, token } = request.query;
      const outcome = await answerUnsubscribe(
        method === 'GET' ? 'confirm' : 'unsubscribe',
        { story, address, token },
        deps,
      );
      return {
        page: unsubscribePage(outcome, deps.storyTitle, `/unsubscribe?${request.rawQuery}`),
        audience: 'private',
      };
    }
    case 'subscribe': {
      if (method !== 'GET' && method !== 'POST') {
        return { page: methodNotAllowedPage(method), audience: 'private', allow: 'GET, POST' };
      }
      if (method === 'GET')
        return { page: signUpFormPage(deps.storyTitle, request.path), audience: 'private' };
      const form = new URLSearchParams(request.body);
      const outcome = await requestSignUp(
        {
          address: form.get('address') ?? undefined,
          honeypot: form.get(HONEYPOT_FIELD) ?? undefined,
          sourceIp: request.sourceIp,
          baseUrl: request.baseUrl,
        },
        deps,
      );
      return {
        page:
          outcome.kind === 'invalidAddress'
            ? signUpFormPage(deps.storyTitle, request.path, outcome)
            : signUpAnswerPage(outcome, deps.storyTitle),
        audience: 'private',
      };
    }
    case 'confirmSubscription': {
      if (method !== 'GET' && method !== 'POST') {
        return { page: methodNotAllowedPage(method), audience: 'private', allow: 'GET, POST' };
      }
      const { address, issued, token } = request.query;
      const outcome = await confirmSignUp(
        method === 'GET' ? 'show' : 'confirm',
        { address, issued, token },
        deps,
      );
      return {
        page: confirmPage(outcome, deps.storyTitle, `${request.path}?${request.rawQuery}`),
        audience: 'private',
      };
    }
    default:
      if (method !== 'GET' && method !== 'HEAD') {
        return { page: methodNotAllowedPage(method), audience: 'private', allow: 'GET, HEAD' };
      }
      return { page: await showArchivedPage(route, deps), audience: 'public' };
  }
}
