/** A stored event as the rooms that act on it see it. */
export interface ProcessableEvent {
  id: string;
  workspaceId: string;
  source: string;
  eventType: string;
  payload: unknown;
  receivedAt: number;
}

export interface ConsumeContext {
  signal: AbortSignal;
  /**
   * Events are processed in batches (one workspace, committed together): a lookup every event of the
   * batch needs (the workspace's flows, its settings) is made once per batch through this.
   */
  once<T>(key: string, load: () => Promise<T>): Promise<T>;
}

/**
 * Something that acts on every stored event (flows, forwarding). It must be idempotent: the job
 * that calls it is at-least-once. What it returns is kept with the event as "what it triggered".
 */
export interface EventConsumer {
  name: string;
  consume(event: ProcessableEvent, context: ConsumeContext): Promise<unknown>;
}
