import { createStore } from '../lib/store';
import type { Store } from '../lib/store';

export type LiveKind = 'webhook' | 'flow-run' | 'bootstrap' | 'installation';
export type LiveState = 'connecting' | 'live' | 'reconnecting' | 'off';

type Listener = (data: Record<string, unknown>) => void;

const KINDS: LiveKind[] = ['webhook', 'flow-run', 'bootstrap', 'installation'];
const MAX_BACKOFF_MS = 30_000;

/**
 * One Server-Sent Events connection shared by every view. EventSource reconnects by itself with the
 * URL it was given; that URL holds a token that expires, so after a failure we reconnect ourselves
 * with the current token instead.
 */
export class LiveStream {
  readonly state: Store<LiveState> = createStore<LiveState>('off');
  private source: EventSource | null = null;
  private readonly listeners = new Map<LiveKind, Set<Listener>>();
  private retryTimer: number | undefined;
  private failures = 0;
  private stopped = false;

  /**
   * `onRepeatedFailure` runs after a few failed reconnects: EventSource cannot tell an expired
   * token (401) from a network problem, so the caller checks the session another way.
   */
  constructor(
    private readonly urlOf: () => string | null,
    private readonly onRepeatedFailure: () => void = () => undefined,
  ) {}

  subscribe(kind: LiveKind, listener: Listener): () => void {
    let set = this.listeners.get(kind);
    if (!set) this.listeners.set(kind, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  start(): void {
    this.stopped = false;
    if (!this.source) this.connect();
  }

  stop(): void {
    this.stopped = true;
    window.clearTimeout(this.retryTimer);
    this.source?.close();
    this.source = null;
    this.state.set('off');
  }

  private connect(): void {
    const url = this.urlOf();
    if (!url || this.stopped || typeof EventSource === 'undefined') {
      this.state.set('off');
      return;
    }
    this.state.set(this.failures === 0 ? 'connecting' : 'reconnecting');
    const source = new EventSource(url);
    this.source = source;
    source.addEventListener('ready', () => {
      this.failures = 0;
      this.state.set('live');
    });
    for (const kind of KINDS) {
      source.addEventListener(kind, (event) => {
        let data: Record<string, unknown>;
        try {
          data = JSON.parse((event as MessageEvent<string>).data) as Record<string, unknown>;
        } catch {
          return;
        }
        for (const listener of [...(this.listeners.get(kind) ?? [])]) listener(data);
      });
    }
    source.onerror = () => {
      if (this.source !== source) return;
      source.close();
      this.source = null;
      this.failures += 1;
      this.state.set('reconnecting');
      if (this.failures === 3 || this.failures % 10 === 0) this.onRepeatedFailure();
      const delay = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.min(this.failures - 1, 5));
      this.retryTimer = window.setTimeout(() => this.connect(), delay);
    };
  }
}
