import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { getEdition } from '../editions/index.js';
import type { EditionId } from '../editions/types.js';
import type { Logger } from '../observability/logger.js';

/** What a supervised edition tells its supervisor over IPC once it listens. */
export interface ReadyMessage {
  type: 'ready';
  edition: EditionId;
  url: string;
  baseUrl: string;
}

export interface SupervisorOptions {
  editions: EditionId[];
  logger: Logger;
  /** Arguments to start one edition in the foreground: node <these> (default: this program's `start --edition ID`). */
  childCommand?: (id: EditionId) => string[];
  env?: NodeJS.ProcessEnv;
  /** First restart delay; doubles per consecutive crash up to maxBackoffMs. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** A child that ran this long before crashing starts the backoff over. */
  stableAfterMs?: number;
  /** Where the children's log lines go (default: this process's stderr). */
  logSink?: NodeJS.WritableStream;
}

/** Restart delay after `crashes` consecutive crashes: initial, 2×, 4×, … capped. Pure. */
export function backoffDelay(crashes: number, initialMs: number, maxMs: number): number {
  return Math.min(maxMs, initialMs * 2 ** Math.max(0, crashes - 1));
}

/** Why a child ended, in words for the log. */
export function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `killed by ${signal}` : `exited with code ${code}`;
}

interface Slot {
  id: EditionId;
  child?: ChildProcess;
  ready?: ReadyMessage;
  crashes: number;
  startedAt: number;
  restartTimer?: NodeJS.Timeout;
  /** The last lines it wrote on stderr: the reason when it cannot start. */
  lastError: string;
}

/**
 * Runs each edition in its own process, so one edition's crash (out of memory, a fatal bug) never
 * takes the others down: a child that dies is started again after a backoff, and the log says why
 * it died. The first start is all-or-nothing: an edition that cannot start (a busy port, a bad
 * variable) stops everything with its one-line reason.
 */
export class Supervisor {
  private readonly slots: Slot[];
  private stopping = false;
  private readonly exited = new Set<Promise<void>>();

  constructor(private readonly options: SupervisorOptions) {
    this.slots = options.editions.map((id) => ({ id, crashes: 0, startedAt: 0, lastError: '' }));
  }

  /** Starts every edition; resolves when all listen, rejects with the first one's reason if one cannot start. */
  start(): Promise<ReadyMessage[]> {
    return new Promise((resolve, reject) => {
      let settled = false;
      const check = () => {
        if (!settled && this.slots.every((slot) => slot.ready)) {
          settled = true;
          resolve(this.slots.map((slot) => slot.ready!));
        }
      };
      for (const slot of this.slots) {
        this.launch(slot, {
          onReady: check,
          onEarlyExit: (reason, code) => {
            if (settled) return;
            settled = true;
            void this.stop().then(() => reject(Object.assign(new Error(reason), { exitCode: code })));
          },
        });
      }
    });
  }

  /** The pid of an edition's current process (tests kill it). */
  pid(id: EditionId): number | undefined {
    return this.slots.find((slot) => slot.id === id)?.child?.pid;
  }

  /** SIGTERM to every child (they finish in-flight work), then SIGKILL after `graceMs`. */
  async stop(graceMs = 15_000): Promise<void> {
    this.stopping = true;
    for (const slot of this.slots) {
      clearTimeout(slot.restartTimer);
      slot.child?.kill('SIGTERM');
    }
    const force = setTimeout(() => this.kill(), graceMs);
    force.unref();
    await Promise.allSettled([...this.exited]);
    clearTimeout(force);
  }

  /** SIGKILL to every child at once (a second Ctrl+C). */
  kill(): void {
    this.stopping = true;
    for (const slot of this.slots) slot.child?.kill('SIGKILL');
  }

  private launch(slot: Slot, first?: { onReady: () => void; onEarlyExit: (reason: string, code: number) => void }): void {
    const name = getEdition(slot.id).name;
    const args = this.options.childCommand?.(slot.id) ?? [...process.execArgv, process.argv[1]!, 'start', '--edition', slot.id];
    const child = spawn(process.execPath, args, {
      env: this.options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      detached: true,
    });
    slot.child = child;
    slot.startedAt = Date.now();
    slot.lastError = '';
    let everReady = false;
    const sink = this.options.logSink ?? process.stderr;
    child.stdout!.pipe(sink, { end: false });
    child.stderr!.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      slot.lastError = (slot.lastError + text).slice(-2000);
      sink.write(text);
    });
    child.on('message', (message: ReadyMessage) => {
      if (message?.type !== 'ready') return;
      everReady = true;
      slot.ready = message;
      if (slot.crashes > 0) this.options.logger.info({ edition: slot.id, childPid: child.pid, url: message.url }, `${name} is back`);
      first?.onReady();
    });
    let done!: () => void;
    const exited = new Promise<void>((resolve) => (done = resolve));
    this.exited.add(exited);
    child.on('exit', (code, signal) => {
      this.exited.delete(exited);
      done();
      if (this.stopping) return;
      const reason = describeExit(code, signal);
      if (first && !everReady) {
        const said = slot.lastError.trim().split('\n').filter(Boolean).pop();
        first.onEarlyExit(said ? said.replace(/^error: /, '') : `${name} ${reason} while starting`, code ?? 1);
        return;
      }
      const ranMs = Date.now() - slot.startedAt;
      slot.crashes = ranMs >= (this.options.stableAfterMs ?? 60_000) ? 1 : slot.crashes + 1;
      const delay = backoffDelay(slot.crashes, this.options.initialBackoffMs ?? 500, this.options.maxBackoffMs ?? 30_000);
      this.options.logger.error(
        { edition: slot.id, childPid: child.pid, code, signal, ranMs, restartInMs: delay, consecutiveCrashes: slot.crashes },
        `${name} ${reason}; restarting in ${delay} ms`,
      );
      slot.restartTimer = setTimeout(() => this.launch(slot), delay);
    });
  }
}
