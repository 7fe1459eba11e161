/**
 * The contract between the ingest room, which stores events and runs their processing job, and the
 * rooms that act on them (flows, forwarding): neither room imports the other for it.
 */

/** A stored event as the rooms that act on it see it. */
export interface ProcessableEvent {
  id: string;
  workspaceId: string;
  source: string;
  eventType: string;
  payload: unknown;
  receivedAt: number;
}

/** What decides whether an event needs processing at all: its workspace, source and type. */
export interface ConsumerTarget {
  workspaceId: string;
  source: string;
  eventType: string;
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
 * Where each consumer runs for an event (lower first), whichever room registers first: flows act
 * before the event is forwarded.
 */
export const CONSUMER_ORDER = { flows: 10, forwarding: 20 } as const;

/**
 * Something that acts on every stored event (flows, forwarding). It must be idempotent: the job
 * that calls it is at-least-once. What it returns is kept with the event as "what it triggered".
 */
export interface EventConsumer {
  name: string;
  /**
   * Whether `consume` would act on events of this type, from this source, in this workspace. Asked
   * as the event is stored: when no consumer would act, the event is recorded as processed right
   * away and no job is queued for it. Left out, the consumer is taken to act on every event.
   */
  actsOn?(target: ConsumerTarget, context: Pick<ConsumeContext, 'once'>): Promise<boolean>;
  consume(event: ProcessableEvent, context: ConsumeContext): Promise<unknown>;
}

/**
 * Whether any consumer would act on the target. A consumer that cannot tell (its lookup failed) is
 * taken to act: the event is then queued, which is always correct, only slower.
 */
export async function anyConsumerActs(
  consumers: readonly EventConsumer[],
  target: ConsumerTarget,
  context: Pick<ConsumeContext, 'once'>,
): Promise<boolean> {
  for (const consumer of consumers) {
    if (!consumer.actsOn) return true;
    try {
      if (await consumer.actsOn(target, context)) return true;
    } catch {
      return true;
    }
  }
  return false;
}
