import type { ComponentChildren } from 'preact';

export type Tone = 'neutral' | 'info' | 'ok' | 'warn' | 'danger';

const STATUS_TONES: Record<string, Tone> = {
  received: 'info',
  processed: 'ok',
  failed: 'danger',
  skipped: 'neutral',
  pending: 'neutral',
  running: 'info',
  completed: 'ok',
  completed_with_warnings: 'warn',
  succeeded: 'ok',
  success: 'ok',
  cancelled: 'neutral',
  dead: 'danger',
  unknown: 'warn',
  ok: 'ok',
  missing: 'danger',
  disabled: 'warn',
  unexpected: 'warn',
  unmatched: 'neutral',
  not_matched: 'neutral',
  active: 'ok',
  inactive: 'warn',
};

export function toneOfStatus(status: string | null | undefined): Tone {
  return STATUS_TONES[(status ?? '').toLowerCase()] ?? 'neutral';
}

export function toneOfHttpStatus(status: number | null | undefined): Tone {
  if (!status) return 'danger';
  if (status < 300) return 'ok';
  if (status < 400) return 'info';
  if (status === 429 || status < 500) return 'warn';
  return 'danger';
}

export function Badge({ tone = 'neutral', children, title }: { tone?: Tone; children: ComponentChildren; title?: string }) {
  return (
    <span class={`badge badge-${tone}`} title={title}>
      {children}
    </span>
  );
}

/** A status word with its colour; the word itself carries the meaning, the colour only helps. */
export function StatusBadge({ status }: { status: string | null | undefined }) {
  const text = status ? status.replace(/_/g, ' ').toLowerCase() : 'never run';
  return <Badge tone={toneOfStatus(status)}>{text}</Badge>;
}

export function MethodBadge({ method }: { method: string }) {
  return <span class={`method method-${method.toLowerCase()}`}>{method}</span>;
}
