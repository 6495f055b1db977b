import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

/** SES v2 SendEmail, as the SDK calls it. */
const SEND_EMAIL = '/v2/email/outbound-emails';

export interface SesOutbox {
  /** Where the SDK is pointed (AWS_ENDPOINT_URL_SESV2); everything else is passed through. */
  readonly endpoint: string;
  /** `<data-dir>/outbox`. */
  readonly directory: string;
  /** The files written since the outbox started, oldest first. */
  readonly saved: readonly string[];
  stop(): Promise<void>;
}

/**
 * A loopback proxy in front of the SES emulator that keeps every message the emulator accepts
 * as `<directory>/<time>-<message id>.eml`, so a person can open what a subscriber receives.
 *
 * The project sends raw content (lambdas/adapters/mime-message.ts): the file is then exactly the
 * bytes the code handed to SES. The emulator's own `GET /get-emlContent` is not used for those:
 * it rebuilds a message with nodemailer from the fields it parsed, which loses headers and is
 * not what was sent. A call with simple or template content (never the project's) has no such
 * bytes: for it the file is that rebuilt message, and its name ends in `.rebuilt.eml`.
 */
export async function startSesOutbox(emulator: string, directory: string): Promise<SesOutbox> {
  mkdirSync(directory, { recursive: true });
  const target = new URL(emulator);
  const saved: string[] = [];
  const keep = (messageId: string, bytes: Buffer, rebuilt: boolean) => {
    const at = new Date().toISOString().replace(/[:.]/g, '-');
    const file = join(directory, `${at}-${messageId}${rebuilt ? '.rebuilt' : ''}.eml`);
    writeFileSync(file, bytes);
    saved.push(file);
  };
  const server = createServer((request, response) => {
    void (async () => {
      const body = await readAll(request);
      const upstream = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          method: request.method,
          path: request.url,
          headers: request.headers,
        },
        (answer) => {
          void (async () => {
            const answerBody = await readAll(answer);
            if (
              request.method === 'POST' &&
              request.url === SEND_EMAIL &&
              answer.statusCode === 200
            ) {
              await saveAccepted(body, answerBody, emulator, keep);
            }
            response.writeHead(answer.statusCode ?? 502, answer.headers).end(answerBody);
          })().catch((error: unknown) => response.destroy(error as Error));
        },
      );
      upstream.on('error', (error) => response.destroy(error));
      upstream.end(body);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    directory,
    saved,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function saveAccepted(
  requestBody: Buffer,
  answerBody: Buffer,
  emulator: string,
  keep: (messageId: string, bytes: Buffer, rebuilt: boolean) => void,
): Promise<void> {
  const { MessageId: messageId = 'unknown' } = JSON.parse(answerBody.toString('utf8')) as {
    MessageId?: string;
  };
  const sent = JSON.parse(requestBody.toString('utf8')) as {
    Content?: { Raw?: { Data?: string } };
  };
  const raw = sent.Content?.Raw?.Data;
  if (raw !== undefined) {
    // The SDK sends the Raw blob base64-encoded in the JSON body.
    keep(messageId, Buffer.from(raw, 'base64'), false);
    return;
  }
  const rebuilt = await fetch(
    `${emulator}/get-emlContent?messageId=${encodeURIComponent(messageId)}`,
  );
  const { body } = (await rebuilt.json()) as { body: string | { data: number[] } };
  keep(messageId, typeof body === 'string' ? Buffer.from(body) : Buffer.from(body.data), true);
}

async function readAll(stream: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
