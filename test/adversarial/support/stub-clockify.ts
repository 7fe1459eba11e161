/**
 * A minimal stand-in for Clockify's REST API on 127.0.0.1: it records every request and answers
 * with JSON (or holds the answer forever, to catch a process mid-send). Used where the sandbox
 * would not accept our own forged tokens.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export type StubAnswer = { status: number; body: unknown } | 'hang';

export interface StubClockify {
  /** e.g. http://127.0.0.1:41234/api (the backendUrl claim to put in tokens). */
  backendUrl: string;
  /** host:port, for CLOCKIFY_ALLOWED_HOSTS. */
  host: string;
  requests: RecordedRequest[];
  /** Replace how requests are answered (default: 200, `[]` for GET and `{id}` otherwise). */
  answer(handler: (request: RecordedRequest) => StubAnswer): void;
  /** Resolves with the first recorded request that matches, as soon as it arrives. */
  waitFor(match: (request: RecordedRequest) => boolean, timeoutMs?: number): Promise<RecordedRequest>;
  close(): Promise<void>;
}

export async function startStubClockify(): Promise<StubClockify> {
  const requests: RecordedRequest[] = [];
  const waiters: { match: (request: RecordedRequest) => boolean; resolve: (request: RecordedRequest) => void }[] = [];
  const held: ServerResponse[] = [];
  let counter = 0;
  let handler = (request: RecordedRequest): StubAnswer => ({
    status: 200,
    body: request.method === 'GET' ? [] : { id: `stub${++counter}`.padEnd(24, '0') },
  });

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(recorded);
      for (const waiter of waiters.splice(0)) {
        if (waiter.match(recorded)) waiter.resolve(recorded);
        else waiters.push(waiter);
      }
      const answer = handler(recorded);
      if (answer === 'hang') {
        held.push(res);
        return;
      }
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    backendUrl: `http://127.0.0.1:${port}/api`,
    host: `127.0.0.1:${port}`,
    requests,
    answer: (next) => {
      handler = next;
    },
    waitFor: (match, timeoutMs = 15_000) => {
      const found = requests.find(match);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('the stub Clockify did not receive the expected request in time')), timeoutMs);
        waiters.push({ match, resolve: (request) => (clearTimeout(timer), resolve(request)) });
      });
    },
    close: async () => {
      for (const res of held.splice(0)) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
