import { randomBytes } from 'node:crypto';
import { StoryDigestError } from '../core/model/errors.js';
import type { OutgoingEmail } from '../core/ports/mailer.js';

/**
 * An email as the MIME message SES sends (RFC 5322, RFC 2045–2047): `multipart/alternative`
 * with the text part first and the HTML part last (clients show the last part they can), both
 * UTF-8 in quoted-printable, every line at most 76 characters. Built here rather than by SES
 * from "simple" content so that the bytes handed to SES are the message, headers included: the
 * local outbox keeps exactly these bytes, and what a subscriber receives is them plus the
 * headers SES adds (Message-ID, DKIM signature).
 */
export function mimeMessage(
  email: OutgoingEmail,
  options: { readonly date?: Date; readonly boundary?: string } = {},
): string {
  // "=_" cannot occur in quoted-printable text, so no part can contain the boundary.
  const boundary = options.boundary ?? `=_story-digest_${randomBytes(12).toString('hex')}`;
  const headers = [
    `From: ${headerValue(email.from)}`,
    `To: ${headerValue(email.to)}`,
    `Subject: ${encodedWords(email.subject)}`,
    `Date: ${rfc5322Date(options.date ?? new Date())}`,
    'MIME-Version: 1.0',
    ...(email.headers ?? []).map(({ name, value }) => `${name}: ${headerValue(value)}`),
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
  ];
  const part = (type: string, content: string) =>
    [
      `--${boundary}`,
      `Content-Type: ${type}; charset=UTF-8`,
      'Content-Transfer-Encoding: quoted-printable',
      '',
      quotedPrintable(content),
    ].join(CRLF);
  return [
    ...headers,
    '',
    part('text/plain', email.text),
    part('text/html', email.html),
    `--${boundary}--`,
    '',
  ].join(CRLF);
}

const CRLF = '\r\n';
/** RFC 2045: encoded lines are at most 76 characters, a soft break's `=` included. */
const MAX_LINE = 76;

/** RFC 2045 §6.7, over the text's UTF-8 bytes; its line breaks become CRLF. */
export function quotedPrintable(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => encodeLine(Buffer.from(line, 'utf8')))
    .join(CRLF);
}

function encodeLine(bytes: Buffer): string {
  const lines: string[] = [];
  let current = '';
  bytes.forEach((byte, index) => {
    const last = index === bytes.length - 1;
    const literal =
      (byte >= 33 && byte <= 126 && byte !== 61) || ((byte === 32 || byte === 9) && !last);
    const token = literal ? String.fromCharCode(byte) : `=${hex(byte)}`;
    // Room for the soft break's "=" unless this token ends the line.
    if (current.length + token.length > MAX_LINE - (last ? 0 : 1)) {
      lines.push(`${current}=`);
      current = '';
    }
    current += token;
  });
  lines.push(current);
  return lines.join(CRLF);
}

function hex(byte: number): string {
  return byte.toString(16).toUpperCase().padStart(2, '0');
}

/** Addresses and links go as they are; a line break would end the header (header injection). */
function headerValue(value: string): string {
  if (/[\r\n]/.test(value)) {
    throw new StoryDigestError(`a header value with a line break: ${JSON.stringify(value)}`);
  }
  return value;
}

/**
 * RFC 2047 for a subject: printable ASCII stays as it is (folded by the reader's client if
 * long); anything else becomes `=?UTF-8?B?…?=` words of at most 45 bytes each (60 characters
 * of base64), never splitting a character, one per folded line.
 */
export function encodedWords(value: string): string {
  headerValue(value);
  if (/^[\x20-\x7e]*$/.test(value)) return value;
  const words: string[] = [];
  let chunk = '';
  for (const character of value) {
    if (Buffer.byteLength(chunk + character) > 45) {
      words.push(chunk);
      chunk = '';
    }
    chunk += character;
  }
  if (chunk) words.push(chunk);
  return words
    .map((word) => `=?UTF-8?B?${Buffer.from(word, 'utf8').toString('base64')}?=`)
    .join(`${CRLF} `);
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `Mon, 22 Jul 2019 06:00:00 +0000` (RFC 5322 §3.3). */
function rfc5322Date(date: Date): string {
  const two = (value: number) => String(value).padStart(2, '0');
  return (
    `${DAYS[date.getUTCDay()]}, ${two(date.getUTCDate())} ${MONTHS[date.getUTCMonth()]} ` +
    `${date.getUTCFullYear()} ${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:` +
    `${two(date.getUTCSeconds())} +0000`
  );
}
