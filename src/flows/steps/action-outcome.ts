/** What one action produced, for the run history and for later actions (`steps.<id>`). */
export interface ActionOutcome {
  ok: boolean;
  /** HTTP status, or a word when no answer came (`refused`, `network`, `invalid`). */
  status: number | string;
  body?: unknown;
  headers?: Record<string, string>;
  /** What was sent (redacted), for the history. */
  request: unknown;
  error?: string;
  /** Worth another attempt (network, 429, 5xx); a 4xx or an invalid request is not. */
  retryable: boolean;
}

export const MAX_RECORDED_BODY_BYTES = 4096;

/** Keeps the stored copy of a response small: large bodies are cut to a preview. */
export function truncateForRecord(value: unknown): unknown {
  const text = JSON.stringify(value ?? null);
  if (text.length <= MAX_RECORDED_BODY_BYTES) return value;
  return { truncated: true, bytes: text.length, preview: text.slice(0, MAX_RECORDED_BODY_BYTES) };
}

/** An action's outcome as a step outcome: later steps read `{ status, body, headers }`. */
export function actionStepOutcome(outcome: ActionOutcome): import('./types.js').StepOutcome {
  return {
    status: outcome.ok ? 'succeeded' : 'failed',
    result: { status: outcome.status, body: outcome.body, headers: outcome.headers },
    request: outcome.request,
    retryable: outcome.retryable,
    ...(outcome.error ? { error: outcome.error } : {}),
  };
}
