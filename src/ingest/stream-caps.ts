/**
 * Counts open live event streams per user, per workspace and per process, so one member cannot
 * open thousands of them and exhaust the file descriptors every edition of the process shares.
 */
export interface StreamCaps {
  perUser: number;
  perWorkspace: number;
  perProcess: number;
}

export type StreamRefusal = { limit: 'perUser' | 'perWorkspace' | 'perProcess'; message: string };

/** All editions of a process share this one count. */
const processStreams = { open: 0 };

/** Live streams open in this process now. */
export function openStreamCount(): number {
  return processStreams.open;
}

export class StreamLimiter {
  private readonly byUser = new Map<string, number>();
  private readonly byWorkspace = new Map<string, number>();

  constructor(
    private readonly caps: StreamCaps,
    private readonly process = processStreams,
  ) {}

  /** Takes a slot, or says which cap is full. The release function is safe to call twice. */
  acquire(workspaceId: string, userId: string): { ok: true; release: () => void } | ({ ok: false } & StreamRefusal) {
    const userKey = `${workspaceId}\u0000${userId}`;
    const users = this.byUser.get(userKey) ?? 0;
    const workspace = this.byWorkspace.get(workspaceId) ?? 0;
    if (users >= this.caps.perUser)
      return {
        ok: false,
        limit: 'perUser',
        message: `You already have ${this.caps.perUser} live streams open (SSE_MAX_STREAMS_PER_USER); close a tab or wait for one to end.`,
      };
    if (workspace >= this.caps.perWorkspace)
      return {
        ok: false,
        limit: 'perWorkspace',
        message: `This workspace already has ${this.caps.perWorkspace} live streams open (SSE_MAX_STREAMS_PER_WORKSPACE).`,
      };
    if (this.process.open >= this.caps.perProcess)
      return {
        ok: false,
        limit: 'perProcess',
        message: `The server holds its maximum of ${this.caps.perProcess} live streams (SSE_MAX_STREAMS_PER_PROCESS); try again shortly.`,
      };
    this.byUser.set(userKey, users + 1);
    this.byWorkspace.set(workspaceId, workspace + 1);
    this.process.open += 1;
    let released = false;
    return {
      ok: true,
      release: () => {
        if (released) return;
        released = true;
        decrement(this.byUser, userKey);
        decrement(this.byWorkspace, workspaceId);
        this.process.open -= 1;
      },
    };
  }
}

function decrement(counts: Map<string, number>, key: string): void {
  const left = (counts.get(key) ?? 1) - 1;
  if (left <= 0) counts.delete(key);
  else counts.set(key, left);
}
