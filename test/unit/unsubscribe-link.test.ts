import { describe, expect, it } from 'vitest';
import { parseAddresses } from '../../lambdas/core/subscribers/subscriber.js';
import {
  isValidUnsubscribeToken,
  listUnsubscribeHeaders,
  unsubscribeToken,
  unsubscribeUrl,
} from '../../lambdas/core/subscribers/unsubscribe-link.js';

const SECRET = 'a-test-secret-of-some-length';

describe('unsubscribe links', () => {
  it('sign the story and the address, whatever the address’s case', () => {
    const token = unsubscribeToken(SECRET, 'story', 'Ana@Example.org');
    expect(token).toMatch(/^[\w-]{43}$/); // 32 bytes, base64url, no padding
    expect(token).toBe(unsubscribeToken(SECRET, 'story', 'ana@example.org'));
    expect(
      isValidUnsubscribeToken(SECRET, { storyId: 'story', address: 'ANA@example.org', token }),
    ).toBe(true);
  });

  it('reject another address, story or secret, and a truncated or empty token', () => {
    const token = unsubscribeToken(SECRET, 'story', 'ana@example.org');
    const check = (storyId: string, address: string, given: string, secret = SECRET) =>
      isValidUnsubscribeToken(secret, { storyId, address, token: given });
    expect(check('story', 'bob@example.org', token)).toBe(false);
    expect(check('other', 'ana@example.org', token)).toBe(false);
    expect(check('story', 'ana@example.org', token, 'another-secret')).toBe(false);
    expect(check('story', 'ana@example.org', token.slice(0, -1))).toBe(false);
    expect(check('story', 'ana@example.org', '')).toBe(false);
    // Fields are separated: moving text from the story id into the address changes the token.
    expect(unsubscribeToken(SECRET, 'a', 'b\nc@x.org')).not.toBe(
      unsubscribeToken(SECRET, 'a\nb', 'c@x.org'),
    );
  });

  it('build the URL under the base and the RFC 8058 headers', () => {
    const url = unsubscribeUrl(
      { baseUrl: 'https://abc.lambda-url.eu-west-1.on.aws', secret: SECRET },
      'story',
      'Ana+news@Example.org',
    );
    const parsed = new URL(url);
    expect(parsed.origin + parsed.pathname).toBe(
      'https://abc.lambda-url.eu-west-1.on.aws/unsubscribe',
    );
    expect(parsed.searchParams.get('address')).toBe('ana+news@example.org');
    expect(parsed.searchParams.get('token')).toBe(
      unsubscribeToken(SECRET, 'story', 'ana+news@example.org'),
    );
    expect(listUnsubscribeHeaders(url)).toEqual([
      { name: 'List-Unsubscribe', value: `<${url}>` },
      { name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' },
    ]);
  });
});

describe('subscriber addresses', () => {
  it('are trimmed, lower-cased and de-duplicated', () => {
    expect(
      parseAddresses([' Ana@Example.org', 'ana@example.org', '', 'bob@example.org'], 'x'),
    ).toEqual(['ana@example.org', 'bob@example.org']);
  });

  it('fail naming every bad address and where they came from', () => {
    expect(() => parseAddresses(['ana@example.org', 'bob', 'c@'], 'subscribers add')).toThrow(
      'subscribers add: not an email address: "bob", "c@"',
    );
  });
});
