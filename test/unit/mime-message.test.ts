import { describe, expect, it } from 'vitest';
import { encodedWords, mimeMessage, quotedPrintable } from '../../lambdas/adapters/mime-message.js';
import { parseRawMessage } from '../support/ses-store.js';

const EMAIL = {
  from: 'digest@story-digest.example.com',
  to: 'ana@example.org',
  subject: 'S-400 & Turkey, week 2019-W29: 3 new developments',
  text: 'Three developments.\n\nUnsubscribe: https://example.org/unsubscribe?token=abc\n',
  html: `<!DOCTYPE html><html lang="en"><body><p style="margin:0">Üç gelişme – “quoted” = ${'x'.repeat(300)}</p></body></html>\n`,
  headers: [
    { name: 'List-Unsubscribe', value: '<https://example.org/unsubscribe?token=abc>' },
    { name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' },
  ],
};

describe('the MIME message handed to SES', () => {
  const raw = mimeMessage(EMAIL, {
    date: new Date('2019-07-22T06:00:00Z'),
    boundary: '=_story-digest_test',
  });
  const message = parseRawMessage(raw);

  it('carries the addresses, the subject, a date and both RFC 8058 headers', () => {
    expect(message.headerLines).toEqual([
      'From: digest@story-digest.example.com',
      'To: ana@example.org',
      'Subject: S-400 & Turkey, week 2019-W29: 3 new developments',
      'Date: Mon, 22 Jul 2019 06:00:00 +0000',
      'MIME-Version: 1.0',
      'List-Unsubscribe: <https://example.org/unsubscribe?token=abc>',
      'List-Unsubscribe-Post: List-Unsubscribe=One-Click',
      'Content-Type: multipart/alternative; boundary="=_story-digest_test"',
    ]);
  });

  it('holds a text part then an HTML part that read back exactly as given', () => {
    expect(raw.indexOf('Content-Type: text/plain')).toBeLessThan(
      raw.indexOf('Content-Type: text/html'),
    );
    expect(message.text).toBe(EMAIL.text);
    expect(message.html).toBe(EMAIL.html);
  });

  it('uses CRLF line ends and no line longer than 76 characters', () => {
    expect(raw.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(Math.max(...raw.split('\r\n').map((line) => line.length))).toBeLessThanOrEqual(76);
  });

  it('refuses a header value with a line break (no header injection)', () => {
    expect(() => mimeMessage({ ...EMAIL, to: 'ana@example.org\r\nBcc: all@example.org' })).toThrow(
      /line break/,
    );
  });
});

describe('quoted-printable and encoded words', () => {
  it('encodes "=", non-ASCII bytes and trailing spaces, and breaks long lines softly', () => {
    expect(quotedPrintable('a=b')).toBe('a=3Db');
    expect(quotedPrintable('é')).toBe('=C3=A9');
    expect(quotedPrintable('end \nnext')).toBe('end=20\r\nnext');
    const long = quotedPrintable('é'.repeat(40));
    expect(long.split('\r\n').every((line) => line.length <= 76)).toBe(true);
    expect(long.split('\r\n')[0]).toMatch(/^(=[0-9A-F]{2})+=$/); // never splits an escape
  });

  it('leaves an ASCII subject as it is and encodes another in UTF-8 words', () => {
    expect(encodedWords('Week 29: 3 new')).toBe('Week 29: 3 new');
    const encoded = encodedWords('Türkiye ve S-400: haftanın gelişmeleri – “özet”, 2019-W29');
    expect(encoded).toMatch(/^=\?UTF-8\?B\?[\w+/=]+\?=(\r\n =\?UTF-8\?B\?[\w+/=]+\?=)*$/);
    const decoded = encoded
      .split('\r\n ')
      .map((word) => Buffer.from(word.slice(10, -2), 'base64').toString('utf8'))
      .join('');
    expect(decoded).toBe('Türkiye ve S-400: haftanın gelişmeleri – “özet”, 2019-W29');
  });
});
