import { createHmac, timingSafeEqual } from 'node:crypto';
import { normalizeAddress } from './subscriber.js';

/**
 * Signed one-click unsubscribe links (RFC 8058). The token is HMAC-SHA256, keyed with a
 * per-deployment secret, over `["unsubscribe", storyId, address]` (JSON, address normalised),
 * in base64url without padding. It carries no expiry on purpose: an unsubscribe link in a
 * years-old email must still work, and all it can do is unsubscribe the address it was sent to.
 */
export interface UnsubscribeSigner {
  /** The page's base URL, e.g. a Lambda Function URL `https://….lambda-url.<region>.on.aws/`. */
  readonly baseUrl: string;
  readonly secret: string;
}

/** The query parameters a link carries, as read back by the unsubscribe page. */
export interface UnsubscribeRequest {
  readonly storyId: string;
  readonly address: string;
  readonly token: string;
}

export function unsubscribeToken(secret: string, storyId: string, address: string): string {
  return (
    createHmac('sha256', secret)
      // JSON keeps the fields apart: ("a", "b:c") and ("a:b", "c") sign differently.
      .update(JSON.stringify(['unsubscribe', storyId, normalizeAddress(address)]))
      .digest('base64url')
  );
}

/** Constant-time: the comparison takes as long whichever byte differs. */
export function isValidUnsubscribeToken(secret: string, request: UnsubscribeRequest): boolean {
  const expected = Buffer.from(unsubscribeToken(secret, request.storyId, request.address));
  const given = Buffer.from(request.token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function unsubscribeUrl(
  signer: UnsubscribeSigner,
  storyId: string,
  address: string,
): string {
  const url = new URL(
    'unsubscribe',
    signer.baseUrl.endsWith('/') ? signer.baseUrl : `${signer.baseUrl}/`,
  );
  url.searchParams.set('story', storyId);
  url.searchParams.set('address', normalizeAddress(address));
  url.searchParams.set('token', unsubscribeToken(signer.secret, storyId, address));
  return url.toString();
}

/** The RFC 2369 and RFC 8058 headers that make mail clients offer one-click unsubscribe. */
export function listUnsubscribeHeaders(url: string): { name: string; value: string }[] {
  return [
    { name: 'List-Unsubscribe', value: `<${url}>` },
    { name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' },
  ];
}
