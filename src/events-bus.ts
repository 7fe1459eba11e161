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
        const { origin, event } = JSON.parse(message) as { origin: string; event: LiveEvent };
        if (origin !== this.origin && event && typeof event.workspaceId === 'string') this.emitter.emit(event.workspaceId, event);
      } catch (error) {
        onError(error);
      }
    });
    await subscriber.subscribe(channel);
    this.relay = { publisher: redis, subscriber, channel };
  }

  publish(event: LiveEvent): void {
    this.emitter.emit(event.workspaceId, event);
    if (this.relay) void this.relay.publisher.publish(this.relay.channel, JSON.stringify({ origin: this.origin, event })).catch(() => undefined);
  }

  subscribe(workspaceId: string, listener: (event: LiveEvent) => void): () => void {
    this.emitter.on(workspaceId, listener);
    return () => this.emitter.off(workspaceId, listener);
  }

  async close(): Promise<void> {
    const relay = this.relay;
    this.relay = undefined;
    if (relay) await relay.subscriber.quit().catch(() => relay.subscriber.disconnect());
  }
}
