import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LambdaFunctionURLEvent, LambdaFunctionURLResult } from 'aws-lambda';

export type FunctionUrlHandler = (
  event: LambdaFunctionURLEvent,
) => Promise<LambdaFunctionURLResult>;

export interface LocalFunctionUrl {
  /** Like a Function URL: the origin with a trailing slash. */
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * Plays a Lambda Function URL on loopback: each HTTP request becomes the payload-2.0 event
 * Lambda would build, and the handler's result becomes the response. `handler` is looked up
 * per request, so the server can start (and its URL be known) before the handler module loads.
 */
export async function serveFunctionUrl(
  handler: () => FunctionUrlHandler | undefined,
  port = 0,
): Promise<LocalFunctionUrl> {
  const server = createServer((request, response) => {
    void (async () => {
      const target = handler();
      const body = await readBody(request);
      if (!target) {
        response.writeHead(503).end('the function is not loaded yet');
        return;
      }
      try {
        const result = await target(toEvent(request, body));
        const status = typeof result === 'object' ? (result.statusCode ?? 200) : 200;
        const headers = typeof result === 'object' ? (result.headers ?? {}) : {};
        const text = typeof result === 'object' ? (result.body ?? '') : String(result);
        response.writeHead(status, headers as Record<string, string>).end(text);
      } catch (error) {
        // What Lambda answers when the function throws.
        response.writeHead(502, { 'Content-Type': 'application/json' });
        response.end(JSON.stringify({ Message: (error as Error).message }));
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}/`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function toEvent(request: IncomingMessage, body: Buffer): LambdaFunctionURLEvent {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const headers: Record<string, string> = {
    ...Object.fromEntries(
      Object.entries(request.headers).map(([name, value]) => [
        name,
        Array.isArray(value) ? value.join(',') : (value ?? ''),
      ]),
    ),
    // Lambda's front sets it (https there); the loopback server speaks http.
    'x-forwarded-proto': 'http',
  };
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams)
    query[name] = query[name] ? `${query[name]},${value}` : value;
  const contentType = headers['content-type'] ?? '';
  // Lambda passes text bodies as they are and anything else base64-encoded.
  const isText = /^(text\/|application\/(x-www-form-urlencoded|json))/.test(contentType);
  const now = new Date();
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    ...(url.search ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: 'anonymous',
      apiId: 'local',
      domainName: headers.host ?? '127.0.0.1',
      domainPrefix: 'local',
      http: {
        method: request.method ?? 'GET',
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: crypto.randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(body.length
      ? { body: isText ? body.toString('utf8') : body.toString('base64'), isBase64Encoded: !isText }
      : { isBase64Encoded: false }),
  };
}
