import { EventEmitter } from 'node:events';

/** What the live views (SSE) hear about, per workspace, within this process. */
export interface LiveEvent {
  kind: 'webhook' | 'flow-run' | 'bootstrap' | 'installation';
  workspaceId: string;
  data: Record<string, unknown>;
}

export class EventBus {
  private readonly emitter = new EventEmitter();

  constructor() {
    // One listener per open browser tab; the default warning at 10 is meant for leaks, not for this.
    this.emitter.setMaxListeners(0);
  }

  publish(event: LiveEvent): void {
    this.emitter.emit(event.workspaceId, event);
  }

  subscribe(workspaceId: string, listener: (event: LiveEvent) => void): () => void {
    this.emitter.on(workspaceId, listener);
    return () => this.emitter.off(workspaceId, listener);
  }
}
