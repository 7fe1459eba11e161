import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import { newId } from './util/ids.js';

/** What the live views (SSE) hear about, per workspace. */
export interface LiveEvent {
  kind: 'webhook' | 'flow-run' | 'bootstrap' | 'installation';
  workspaceId: string;
  data: Record<string, unknown>;
}

/**
 * Live events of this process, and — with Redis — of every instance: a webhook that landed on
 * another instance still shows up in the sidebar stream a browser holds open here.
 */
export class EventBus {
  private readonly emitter = new EventEmitter();
  private readonly origin = newId();
  private relay: { publisher: Redis; subscriber: Redis; channel: string } | undefined;
  /** Events of this turn of the event loop not yet relayed: a burst goes out as one Redis message. */
  private outbox: LiveEvent[] = [];

  constructor() {
    // One listener per open browser tab; the default warning at 10 is meant for leaks, not for this.
    this.emitter.setMaxListeners(0);
  }

  /** Shares events with the other instances of the same edition through Redis publish/subscribe. */
  async connectRedis(redis: Redis, channel: string, onError: (error: unknown) => void): Promise<void> {
    const subscriber = redis.duplicate();
    subscriber.on('error', onError);
    subscriber.on('message', (_channel: string, message: string) => {
      try {
        // `events` (a turn's worth) from this release on; `event` (one) from instances of earlier releases.
        const { origin, events, event } = JSON.parse(message) as { origin: string; events?: LiveEvent[]; event?: LiveEvent };
        if (origin === this.origin) return;
        for (const item of events ?? (event ? [event] : [])) {
          if (item && typeof item.workspaceId === 'string') this.emitter.emit(item.workspaceId, item);
        }
      } catch (error) {
        onError(error);
      }
    });
    await subscriber.subscribe(channel);
    this.relay = { publisher: redis, subscriber, channel };
  }

  publish(event: LiveEvent): void {
    this.emitter.emit(event.workspaceId, event);
    if (!this.relay) return;
    this.outbox.push(event);
    if (this.outbox.length === 1) setImmediate(() => this.flush());
  }

  private flush(): void {
    const events = this.outbox;
    this.outbox = [];
    if (this.relay && events.length > 0)
      void this.relay.publisher.publish(this.relay.channel, JSON.stringify({ origin: this.origin, events })).catch(() => undefined);
  }

  subscribe(workspaceId: string, listener: (event: LiveEvent) => void): () => void {
    this.emitter.on(workspaceId, listener);
    return () => this.emitter.off(workspaceId, listener);
  }

  async close(): Promise<void> {
    this.flush();
    const relay = this.relay;
    this.relay = undefined;
    if (relay) await relay.subscriber.quit().catch(() => relay.subscriber.disconnect());
  }
}
