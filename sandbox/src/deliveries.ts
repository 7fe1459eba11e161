import { randomUUID } from 'node:crypto';

/** One outgoing call the sandbox made as Clockify: a lifecycle POST or a webhook POST (with its retries). */
export interface Delivery {
  id: string;
  kind: 'lifecycle' | 'webhook';
  /** Lifecycle type (INSTALLED, DELETED, ...) or webhook event (NEW_TIME_ENTRY, ...). */
  event: string;
  url: string;
  workspaceId: string;
  addonId?: string;
  addonKey?: string;
  webhookId?: string;
  payload: unknown;
  /** RETRYING while a webhook waits for its next attempt (Clockify's webhook statuses). */
  state: 'PENDING' | 'RETRYING' | 'SUCCEEDED' | 'FAILED';
  /** HTTP status of the last attempt; absent when it never got an answer. */
  status?: number;
  /** Why the last attempt failed (network error, timeout, non-2xx). */
  error?: string;
  /** Body of the last answer, cut to 2,000 characters. */
  responseBody?: string;
  attempts: number;
  /** Epoch ms of the first attempt. */
  at: number;
  finishedAt?: number;
}

export interface SendRequest {
  kind: Delivery['kind'];
  event: string;
  url: string;
  workspaceId: string;
  addonId?: string;
  addonKey?: string;
  webhookId?: string;
  payload: unknown;
  headers: Record<string, string>;
}

export interface DeliveryPolicy {
  timeoutMs: number;
  /** Waits before each retry of a webhook; lifecycle calls are never retried. */
  webhookRetryDelaysMs: readonly number[];
}

/** Sends lifecycle calls and webhooks, records every one, and lets callers wait until all are done. */
export class DeliveryLog {
  private readonly records: Delivery[] = [];
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly shutdown = new AbortController();
  private closed = false;

  constructor(
    private readonly policy: DeliveryPolicy,
    /** Told of every attempt's outcome (the webhook delivery logs keep them). */
    private readonly onAttempt?: (record: Delivery, attempt: { body: string; status?: number; responseBody?: string }) => void,
  ) {}

  list(): Delivery[] {
    return this.records.map((d) => ({ ...d }));
  }

  /** Sends and resolves with the final record (after retries, for webhooks). */
  send(request: SendRequest): Promise<Delivery> {
    const record: Delivery = {
      id: randomUUID(),
      kind: request.kind,
      event: request.event,
      url: request.url,
      workspaceId: request.workspaceId,
      payload: request.payload,
      state: 'PENDING',
      attempts: 0,
      at: Date.now(),
      ...(request.addonId !== undefined && { addonId: request.addonId }),
      ...(request.addonKey !== undefined && { addonKey: request.addonKey }),
      ...(request.webhookId !== undefined && { webhookId: request.webhookId }),
    };
    this.records.push(record);
    const run = this.attemptAll(record, request).then(() => ({ ...record }));
    this.inFlight.add(run);
    void run.finally(() => this.inFlight.delete(run));
    return run;
  }

  /** Resolves when every delivery started so far (and those they start) has finished. */
  async settled(): Promise<Delivery[]> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
    return this.list();
  }

  /** Stops retries, aborts calls still waiting for an answer, and resolves once all have ended. */
  async close(): Promise<void> {
    this.closed = true;
    this.shutdown.abort();
    await this.settled();
  }

  private async attemptAll(record: Delivery, request: SendRequest): Promise<void> {
    const delays = request.kind === 'webhook' ? this.policy.webhookRetryDelaysMs : [];
    for (let attempt = 0; ; attempt++) {
      await this.attemptOnce(record, request);
      if (record.state === 'SUCCEEDED') break;
      const delay = delays[attempt];
      if (delay === undefined || this.closed) {
        record.state = 'FAILED';
        break;
      }
      record.state = 'RETRYING';
      await this.wait(delay);
    }
    record.finishedAt = Date.now();
  }

  private wait(ms: number): Promise<void> {
    const signal = this.shutdown.signal;
    return new Promise((resolve) => {
      const onAbort = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  private async attemptOnce(record: Delivery, request: SendRequest): Promise<void> {
    record.attempts += 1;
    const body = JSON.stringify(request.payload);
    try {
      await this.post(record, request, body);
    } finally {
      this.onAttempt?.(record, {
        body,
        ...(record.status !== undefined && { status: record.status }),
        responseBody: record.responseBody ?? record.error ?? '',
      });
    }
  }

  private async post(record: Delivery, request: SendRequest, body: string): Promise<void> {
    try {
      const response = await fetch(request.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...request.headers },
        body,
        signal: AbortSignal.any([AbortSignal.timeout(this.policy.timeoutMs), this.shutdown.signal]),
      });
      record.status = response.status;
      record.responseBody = (await response.text()).slice(0, 2000);
      if (response.ok) {
        record.state = 'SUCCEEDED';
        delete record.error;
      } else {
        record.error = `HTTP ${response.status}`;
      }
    } catch (error) {
      delete record.status;
      delete record.responseBody;
      record.error = describe(error);
    }
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as Error & { cause?: unknown }).cause;
    const code = typeof cause === 'object' && cause !== null && 'code' in cause ? String((cause as { code: unknown }).code) : undefined;
    if (error.name === 'TimeoutError') return 'timeout';
    return code ? `${error.message} (${code})` : error.message;
  }
  return String(error);
}
