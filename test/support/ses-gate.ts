import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback proxy in front of the SES emulator that lets `pass` SendEmail calls through and
 * then stops the next one at a chosen point, so a test can kill the sender at an exact moment:
 * `before-ses` (the call never reaches SES) or `after-ses` (SES accepts the email, the sender
 * never hears back). `stopped` resolves when that call is being held.
 *
 * It can also throttle one recipient, as SES does when a sending rate or quota is exceeded: while
 * `throttle(address)` holds, every SendEmail to that address is answered 429
 * TooManyRequestsException without reaching SES (the emulator cannot refuse on demand).
 */
export interface SesGate {
  readonly endpoint: string;
  readonly stopped: Promise<void>;
  /**
   * Throttles every send to these addresses until called again with undefined, or only the
   * next `times` of them.
   */
  throttle(recipients: string | readonly string[] | undefined, times?: number): void;
  /** When each SendEmail reached SES (epoch ms), in order. */
  readonly arrivals: readonly number[];
  /** Sends answered with a throttling error so far. */
  readonly throttled: number;
  close(): Promise<void>;
}

const SEND_EMAIL = '/v2/email/outbound-emails';

export async function startSesGate(
  sesEndpoint: string,
  pass: number,
  stopAt: 'before-ses' | 'after-ses',
): Promise<SesGate> {
  const target = new URL(sesEndpoint);
  let sends = 0;
  let throttledRecipients: readonly string[] = [];
  let throttlesLeft = Number.POSITIVE_INFINITY;
  let throttled = 0;
  const arrivals: number[] = [];
  let signalStopped: () => void = () => {};
  const stopped = new Promise<void>((resolve) => {
    signalStopped = resolve;
  });
  const server = createServer(async (request, response) => {
    const body = await readAll(request);
    const isSend = request.method === 'POST' && request.url === SEND_EMAIL;
    const throttledHere =
      isSend &&
      throttlesLeft > 0 &&
      recipientsOf(body).some((to) => throttledRecipients.includes(to));
    if (throttledHere) {
      throttled += 1;
      throttlesLeft -= 1;
      response
        .writeHead(429, {
          'content-type': 'application/json',
          'x-amzn-errortype': 'TooManyRequestsException',
        })
        .end(JSON.stringify({ message: 'Maximum sending rate exceeded.' }));
      return;
    }
    const stopHere = isSend && ++sends > pass;
    if (isSend && !stopHere) arrivals.push(Date.now());
    if (stopHere && stopAt === 'before-ses') {
      signalStopped();
      return; // held: the sender waits for an answer that never comes
    }
    const upstream = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: request.method,
        path: request.url,
        headers: request.headers,
      },
      async (answer) => {
        const answerBody = await readAll(answer);
        if (stopHere) {
          signalStopped(); // SES has the email; its answer is kept from the sender
          return;
        }
        response.writeHead(answer.statusCode ?? 502, answer.headers).end(answerBody);
      },
    );
    upstream.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stopped,
    throttle: (recipients, times = Number.POSITIVE_INFINITY) => {
      throttledRecipients = recipients === undefined ? [] : [recipients].flat();
      throttlesLeft = times;
    },
    arrivals,
    get throttled() {
      return throttled;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The addresses a SendEmail request is for. */
function recipientsOf(body: Buffer): string[] {
  try {
    const request = JSON.parse(body.toString('utf8')) as {
      Destination?: { ToAddresses?: string[] };
    };
    return request.Destination?.ToAddresses ?? [];
  } catch {
    return [];
  }
}

async function readAll(stream: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
