/**
 * The far end of event forwarding: counts each forwarded event (by its `webhook-id`, the event id),
 * and can answer at once, after a delay, or hold requests open (to keep jobs in flight while an
 * instance is stopped or killed).
 */
import { createServer } from 'node:http';
import type { ServerResponse } from 'node:http';

export type ReceiverMode = { kind: 'ok' } | { kind: 'delay'; ms: number } | { kind: 'hold' };

export interface Receiver {
  url: string;
  setMode(mode: ReceiverMode): void;
  /** Event ids answered 200, with how many times each was. */
  accepted: Map<string, number>;
  /** Every request that arrived, in order (event id), whatever became of it. */
  arrivals: string[];
  /** Requests held open right now. */
  held(): number;
  /** Answers every held request (200), or drops them when `drop`. */
  releaseHeld(drop?: boolean): void;
  close(): Promise<void>;
}

export async function startReceiver(mode: ReceiverMode = { kind: 'ok' }): Promise<Receiver> {
  let current = mode;
  const accepted = new Map<string, number>();
  const arrivals: string[] = [];
  const holding = new Set<{ id: string; reply: ServerResponse }>();

  const answer = (id: string, reply: ServerResponse) => {
    // The sender may have died meanwhile: only an answer that reaches a live connection counts.
    if (reply.destroyed || reply.socket?.destroyed) return;
    reply.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    accepted.set(id, (accepted.get(id) ?? 0) + 1);
  };

  const server = createServer((request, reply) => {
    request.resume();
    request.on('end', () => {
      const id = String(request.headers['webhook-id'] ?? '');
      arrivals.push(id);
      if (current.kind === 'ok') return answer(id, reply);
      if (current.kind === 'delay') {
        setTimeout(() => answer(id, reply), current.ms);
        return;
      }
      const entry = { id, reply };
      holding.add(entry);
      reply.on('close', () => holding.delete(entry));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    setMode: (next) => {
      current = next;
    },
    accepted,
    arrivals,
    held: () => [...holding].filter((entry) => !entry.reply.socket?.destroyed).length,
    releaseHeld(drop = false) {
      for (const entry of [...holding]) {
        holding.delete(entry);
        if (drop) entry.reply.destroy();
        else answer(entry.id, entry.reply);
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
