import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** What the SES emulator keeps of each email it accepted (`GET <endpoint>/store`). */
export interface StoredEmail {
  readonly messageId: string;
  readonly subject: string;
  readonly destination: { readonly to: string[] };
  readonly body: { readonly html: string; readonly text: string };
  readonly headers?: readonly { readonly name: string; readonly value: string }[];
}

export async function storedEmails(sesEndpoint: string): Promise<StoredEmail[]> {
  const response = await fetch(`${sesEndpoint}/store`);
  return ((await response.json()) as { emails: StoredEmail[] }).emails;
}

/** The emails of one week's digest (its week is in the subject), by recipient. */
export async function digestsByRecipient(
  sesEndpoint: string,
  week: string,
): Promise<Map<string, StoredEmail[]>> {
  const byRecipient = new Map<string, StoredEmail[]>();
  for (const email of await storedEmails(sesEndpoint)) {
    if (!email.subject.includes(week)) continue;
    for (const to of email.destination.to) {
      byRecipient.set(to, [...(byRecipient.get(to) ?? []), email]);
    }
  }
  return byRecipient;
}

/** A message of the local outbox (`<data-dir>/outbox/*.eml`), as SES was handed it. */
export interface SentMessage {
  readonly file: string;
  /** The whole message, CRLF line ends and all. */
  readonly raw: string;
  /** Header lines unfolded, in order, as `Name: value`. */
  readonly headerLines: readonly string[];
  header(name: string): string | undefined;
  /** The text and HTML parts, quoted-printable decoded. */
  readonly text: string;
  readonly html: string;
}

/** The outbox file of an accepted message, by the message id SES answered with. */
export function sentMessage(outboxDir: string, messageId: string): SentMessage {
  const file = readdirSync(outboxDir).find((name) => name.endsWith(`-${messageId}.eml`));
  if (!file) throw new Error(`no outbox file for ${messageId} in ${outboxDir}`);
  return parseMessage(join(outboxDir, file));
}

/** Every message of the outbox, oldest first (file names start with the time). */
export function outboxMessages(outboxDir: string): SentMessage[] {
  return readdirSync(outboxDir)
    .filter((name) => name.endsWith('.eml'))
    .sort()
    .map((name) => parseMessage(join(outboxDir, name)));
}

function parseMessage(file: string): SentMessage {
  return parseRawMessage(readFileSync(file, 'utf8'), file);
}

/** A MIME message as built by lambdas/adapters/mime-message.ts, read back. */
export function parseRawMessage(raw: string, file = '(raw)'): SentMessage {
  const blank = raw.indexOf('\r\n\r\n');
  const headerLines = raw
    .slice(0, blank)
    .replace(/\r\n[ \t]+/g, ' ')
    .split('\r\n');
  const header = (name: string) =>
    headerLines
      .find((line) => line.toLowerCase().startsWith(`${name.toLowerCase()}:`))
      ?.slice(name.length + 1)
      .trim();
  const boundary = /boundary="([^"]+)"/.exec(header('Content-Type') ?? '')?.[1] ?? '';
  const parts = raw
    .slice(blank + 4)
    .split(`--${boundary}`)
    .slice(1, -1);
  const part = (type: string) => {
    const found = parts.find((candidate) =>
      new RegExp(`content-type: ${type}`, 'i').test(candidate),
    );
    if (!found) return '';
    const body = found.slice(found.indexOf('\r\n\r\n') + 4).replace(/\r\n$/, '');
    return decodeQuotedPrintable(body);
  };
  return { file, raw, headerLines, header, text: part('text/plain'), html: part('text/html') };
}

function decodeQuotedPrintable(body: string): string {
  const joined = body.replace(/=\r\n/g, '');
  const bytes: number[] = [];
  for (let index = 0; index < joined.length; index += 1) {
    const character = joined[index] as string;
    if (character === '=' && /^[0-9A-F]{2}$/.test(joined.slice(index + 1, index + 3))) {
      bytes.push(Number.parseInt(joined.slice(index + 1, index + 3), 16));
      index += 2;
    } else bytes.push(...Buffer.from(character, 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8').replace(/\r\n/g, '\n');
}
