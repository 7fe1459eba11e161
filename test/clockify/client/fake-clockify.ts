import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the stand-in saw of one request. */
export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** One scripted answer: a status with a JSON/text body, or 'destroy' to break the connection. */
export type Answer =
  | { status: number; body?: unknown; headers?: Record<string, string> }
  | 'destroy'
  | 'hang'
  | ((request: SeenRequest) => { status: number; body?: unknown; headers?: Record<string, string> });

/**
 * A loopback HTTP server standing in for Clockify. Answers are taken from a script in order; the last
 * one repeats. It counts connections so tests can prove that nothing reached it.
 */
export class FakeClockify {
  readonly requests: SeenRequest[] = [];
  connections = 0;
  private script: Answer[] = [{ status: 200, body: {} }];
  private readonly server: Server;
  private readonly hanging: ServerResponse[] = [];

  constructor() {
    this.server = createServer((request, response) => this.handle(request, response));
    this.server.on('connection', () => {
      this.connections += 1;
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  answer(...script: Answer[]): void {
    this.script = script;
  }

  async stop(): Promise<void> {
    for (const response of this.hanging) response.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const seen: SeenRequest = {
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      this.requests.push(seen);
      const next = this.script.length > 1 ? this.script.shift()! : this.script[0]!;
      if (next === 'destroy') {
        request.socket.destroy();
        return;
      }
      if (next === 'hang') {
        this.hanging.push(response);
        return;
      }
      const { status, body, headers } = typeof next === 'function' ? next(seen) : next;
      const text = typeof body === 'string' ? body : body === undefined ? '' : JSON.stringify(body);
      response.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/plain' : 'application/json', ...headers });
      response.end(text);
    });
  }
}
