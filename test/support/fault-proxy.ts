import {
  Agent,
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A fault-injecting HTTP proxy for the local DynamoDB, S3 and SQS servers. The SDK talks plain
 * HTTP to them, so pointing AWS_ENDPOINT_URL_DYNAMODB / _S3 / _SQS here puts every request of the
 * handlers through it: it forwards each one to the real server unless a rule says to answer it
 * with a fault the real server cannot produce on demand (throttling, a 5xx, a dropped
 * connection, no answer at all), optionally after the request reached the server (the write
 * happened, its answer was lost).
 */
export type Service = 'dynamodb' | 's3' | 'sqs';

export interface ProxiedRequest {
  readonly service: Service;
  /** DynamoDB, SQS: the X-Amz-Target operation (`PutItem`, `SendMessageBatch`…); S3: `PutObject`… */
  readonly operation: string;
  readonly method: string;
  readonly path: string;
  /** The request body as text (DynamoDB's JSON; an S3 object's bytes, as latin1). */
  readonly body: string;
}

/**
 * - `throughput`: DynamoDB's `ProvisionedThroughputExceededException` (HTTP 400);
 * - `throttling`: DynamoDB's `ThrottlingException` (HTTP 400) / S3's `SlowDown` (503);
 * - `500` / `503`: `InternalServerError` / `ServiceUnavailable` (S3: `InternalError` / `SlowDown`);
 * - `reset`: the connection is dropped without an answer, as when the server process dies;
 * - `hold`: no answer ever comes (the caller waits until it gives up or dies), as when a call
 *   hangs at the moment its process is killed.
 */
export type FaultKind = 'throughput' | 'throttling' | 500 | 503 | 'reset' | 'hold';

export interface FaultRule {
  /** The requests it applies to: an operation name, or a predicate. */
  readonly match: string | ((request: ProxiedRequest) => boolean);
  readonly fault: FaultKind;
  /** How many matching requests get the fault (default 1); later ones pass. */
  readonly times?: number;
  /** Matching requests let through before the first fault (default 0). */
  readonly after?: number;
  /**
   * What reaches the server before the fault is answered: nothing (default), or the whole
   * request (`all`: the write is done, the caller never hears so).
   */
  readonly commit?: 'none' | 'all';
}

export interface InjectedRule {
  /** Faults answered so far. */
  readonly injected: number;
  /** Matching requests seen so far (faulted or not). */
  readonly matched: number;
  /** Resolves when the rule first fires. */
  readonly fired: Promise<void>;
}

interface ActiveRule extends InjectedRule {
  readonly rule: FaultRule;
  injected: number;
  matched: number;
  signal: () => void;
}

export class FaultProxy {
  private target: URL | undefined;
  private rules: ActiveRule[] = [];
  private readonly observers: ((request: ProxiedRequest) => void)[] = [];
  private readonly seen = new Map<string, number>();
  private readonly sockets = new Set<Socket>();
  private readonly agent = new Agent({ keepAlive: true });

  private constructor(
    readonly service: Service,
    private readonly server: Server,
  ) {}

  /** Listens on 127.0.0.1 and a free port; forwards once `forwardTo` names the real server. */
  static async start(service: Service): Promise<FaultProxy> {
    let proxy: FaultProxy | undefined;
    const server = createServer((request, response) => {
      proxy?.handle(request, response).catch((error: unknown) => {
        if (!response.headersSent) response.writeHead(502);
        response.end(String(error));
      });
    });
    proxy = new FaultProxy(service, server);
    server.on('connection', (socket) => {
      proxy?.sockets.add(socket);
      socket.once('close', () => proxy?.sockets.delete(socket));
    });
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    return proxy;
  }

  /** `http://127.0.0.1:<port>`: the endpoint to give the SDK. */
  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  forwardTo(endpoint: string): void {
    this.target = new URL(endpoint);
  }

  /** Adds a rule; rules are tried in the order added, the first that fires answers. */
  inject(rule: FaultRule): InjectedRule {
    let signal: () => void = () => {};
    const fired = new Promise<void>((resolve) => {
      signal = resolve;
    });
    const active: ActiveRule = { rule, injected: 0, matched: 0, fired, signal };
    this.rules.push(active);
    return active;
  }

  /** Hears every request (forwarded or faulted), e.g. to record the keys a handler touched. */
  observe(observer: (request: ProxiedRequest) => void): void {
    this.observers.push(observer);
  }

  /** Drops every rule and forgets the counts. */
  reset(): void {
    this.rules = [];
    this.seen.clear();
  }

  /** Requests seen (forwarded or faulted) for one operation, or in all. */
  requests(operation?: string): number {
    if (operation) return this.seen.get(operation) ?? 0;
    return [...this.seen.values()].reduce((sum, count) => sum + count, 0);
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    this.agent.destroy();
    await new Promise<void>((closed) => this.server.close(() => closed()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readAll(request);
    const proxied: ProxiedRequest = {
      service: this.service,
      operation: operationOf(this.service, request, body),
      method: request.method ?? 'GET',
      path: request.url ?? '/',
      body: body.toString('latin1'),
    };
    this.seen.set(proxied.operation, (this.seen.get(proxied.operation) ?? 0) + 1);
    for (const observer of this.observers) observer(proxied);
    const fired = this.fire(proxied);
    if (!fired) {
      const answer = await this.forward(request, body);
      response.writeHead(answer.status, answer.headers).end(answer.body);
      return;
    }
    if (fired.commit === 'all') await this.forward(request, body);
    if (fired.fault === 'reset') {
      request.socket.destroy();
      return;
    }
    if (fired.fault === 'hold') return; // answered never; `close` drops the connection
    const fault = faultAnswer(this.service, fired.fault);
    response.writeHead(fault.status, fault.headers).end(fault.body);
  }

  private fire(request: ProxiedRequest): FaultRule | undefined {
    for (const active of this.rules) {
      const { match, times = 1, after = 0 } = active.rule;
      const matches = typeof match === 'string' ? match === request.operation : match(request);
      if (!matches) continue;
      active.matched += 1;
      if (active.matched <= after || active.injected >= times) continue;
      active.injected += 1;
      active.signal();
      return active.rule;
    }
    return undefined;
  }

  private forward(
    request: IncomingMessage,
    body: Buffer,
  ): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
    const target = this.target;
    if (!target) throw new Error(`fault proxy (${this.service}): no server to forward to`);
    return new Promise((resolve, reject) => {
      const outgoing = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          method: request.method,
          path: request.url,
          // The Host header stays the one the SDK signed.
          headers: { ...request.headers, 'content-length': String(body.length) },
          agent: this.agent,
        },
        (answer) => {
          readAll(answer).then((bytes) => {
            const headers = { ...answer.headers };
            // The body is passed on whole: no chunked framing to copy.
            delete headers['transfer-encoding'];
            headers['content-length'] = String(bytes.length);
            resolve({ status: answer.statusCode ?? 502, headers, body: bytes });
          }, reject);
        },
      );
      outgoing.once('error', reject);
      outgoing.end(body);
    });
  }
}

function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.once('end', () => resolve(Buffer.concat(chunks)));
    stream.once('error', reject);
  });
}

function operationOf(service: Service, request: IncomingMessage, body: Buffer): string {
  if (service === 'dynamodb' || service === 'sqs') {
    const target = String(request.headers['x-amz-target'] ?? '');
    return target.split('.').at(-1) || 'unknown';
  }
  const url = new URL(request.url ?? '/', 'http://s3.local');
  const isObject = url.pathname.split('/').filter(Boolean).length > 1;
  switch (request.method) {
    case 'PUT':
      return isObject ? 'PutObject' : 'CreateBucket';
    case 'GET':
      return isObject ? 'GetObject' : 'ListObjects';
    case 'HEAD':
      return isObject ? 'HeadObject' : 'HeadBucket';
    case 'DELETE':
      return isObject ? 'DeleteObject' : 'DeleteBucket';
    case 'POST':
      return url.searchParams.has('delete') ? 'DeleteObjects' : `POST ${body.length}`;
    default:
      return String(request.method);
  }
}

function faultAnswer(
  service: Service,
  fault: Exclude<FaultKind, 'reset' | 'hold'>,
): { status: number; headers: Record<string, string>; body: string } {
  const requestId = `fault-${Math.random().toString(36).slice(2)}`;
  if (service === 'sqs') {
    const [status, type] =
      fault === 500
        ? [500, 'InternalError']
        : fault === 503
          ? [503, 'ServiceUnavailable']
          : [400, 'ThrottlingException'];
    return {
      status,
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': requestId },
      body: JSON.stringify({ __type: `com.amazonaws.sqs#${type}`, message: type }),
    };
  }
  if (service === 'dynamodb') {
    const [status, type, message] =
      fault === 'throughput'
        ? [
            400,
            'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
            'The level of configured provisioned throughput for the table was exceeded.',
          ]
        : fault === 'throttling'
          ? [400, 'com.amazon.coral.availability#ThrottlingException', 'Rate exceeded']
          : fault === 503
            ? [503, 'com.amazon.coral.availability#ServiceUnavailableException', 'Unavailable']
            : [500, 'com.amazonaws.dynamodb.v20120810#InternalServerError', 'Internal error'];
    return {
      status,
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': requestId },
      body: JSON.stringify({ __type: type, message }),
    };
  }
  const [status, code, message] =
    fault === 500
      ? [500, 'InternalError', 'We encountered an internal error. Please try again.']
      : [503, 'SlowDown', 'Please reduce your request rate.'];
  return {
    status,
    headers: { 'content-type': 'application/xml', 'x-amz-request-id': requestId },
    body: `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message><RequestId>${requestId}</RequestId></Error>`,
  };
}
