/**
 * A tiny round-robin load balancer for tests: each request goes to the next instance; when an
 * instance refuses the connection (it is restarting) or answers 503 while closing, the same request
 * goes to the next one, as a real balancer with health checks and retries would do.
 */
import { createServer, request as httpRequest } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';

export interface RoundRobinProxy {
  url: string;
  /** The instances behind it; may be changed while it runs. */
  targets: string[];
  /** Requests answered by each target (by target URL). */
  served: Map<string, number>;
  /** Requests that no target could take (answered 502). */
  failed(): number;
  close(): Promise<void>;
}

interface Upstream {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export async function startRoundRobinProxy(targets: string[] = []): Promise<RoundRobinProxy> {
  let next = 0;
  let failures = 0;
  const served = new Map<string, number>();

  const forward = (target: string, method: string, path: string, headers: IncomingHttpHeaders, body: Buffer) =>
    new Promise<Upstream>((resolve, reject) => {
      const url = new URL(path, target);
      const outgoing = httpRequest(
        url,
        { method, headers: { ...headers, host: url.host, connection: 'close', 'content-length': String(body.length) }, agent: false },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 502, headers: response.headers, body: Buffer.concat(chunks) }));
          response.on('error', reject);
        },
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    });

  const server: Server = createServer((incoming, reply) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', async () => {
      const body = Buffer.concat(chunks);
      const { connection: _connection, 'transfer-encoding': _encoding, ...headers } = incoming.headers;
      const start = next++;
      for (let attempt = 0; attempt < targets.length * 2; attempt += 1) {
        const target = targets[(start + attempt) % targets.length]!;
        try {
          const upstream = await forward(target, incoming.method ?? 'GET', incoming.url ?? '/', headers, body);
          // A closing instance answers 503 without doing anything: the request may go elsewhere.
          if (upstream.status === 503 && attempt < targets.length * 2 - 1) continue;
          served.set(target, (served.get(target) ?? 0) + 1);
          const { connection: _c, 'transfer-encoding': _t, 'keep-alive': _k, ...replyHeaders } = upstream.headers;
          reply.writeHead(upstream.status, replyHeaders).end(upstream.body);
          return;
        } catch {
          // Refused or reset before any answer: the instance is down; try the next one.
          if (attempt === targets.length * 2 - 1) break;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }
      failures += 1;
      reply.writeHead(502, { 'content-type': 'text/plain' }).end('no instance answered');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    targets,
    served,
    failed: () => failures,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
