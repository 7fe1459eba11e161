import type { Tx } from '../storage/database.js';

/** A stored event as the rooms that act on it see it. */
export interface ProcessableEvent {
  id: string;
  workspaceId: string;
  source: string;
  eventType: string;
  payload: unknown;
  receivedAt: number;
}

/**
 * Something that acts on every stored event (flows, forwarding). It must be idempotent: the job
 * that calls it is at-least-once. What it returns is kept with the event as "what it triggered".
 */
export interface EventConsumer {
  name: string;
  consume(event: ProcessableEvent, context: { signal: AbortSignal; enqueue?: (trx: Tx) => Promise<void> }): Promise<unknown>;
}
