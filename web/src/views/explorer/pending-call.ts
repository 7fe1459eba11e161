import { createStore } from '../../lib/store';

/** A call from the history that the form should open with ("Open in form"); read once, in memory only. */
export const pendingCall = createStore<{ operationId: string; params?: Record<string, unknown>; body?: unknown } | null>(null);
