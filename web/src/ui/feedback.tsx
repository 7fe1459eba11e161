import type { ComponentChildren } from 'preact';
import type { ApiError } from '../api/client';
import { Button } from './button';
import { Icon } from './icons';
import type { IconName } from './icons';

/** Grey placeholder lines while content loads; announced once as "Loading…". */
export function Skeleton({ lines = 3, label = 'Loading…' }: { lines?: number; label?: string }) {
  return (
    <div class="skeleton" role="status" aria-live="polite">
      <span class="visually-hidden">{label}</span>
      {Array.from({ length: lines }, (_, index) => (
        <div key={index} class="skeleton-line" style={{ width: `${[92, 76, 84, 64, 88][index % 5]}%` }} aria-hidden="true" />
      ))}
    </div>
  );
}

export function EmptyState({
  icon = 'inbox',
  title,
  children,
  action,
}: {
  icon?: IconName;
  title: string;
  children?: ComponentChildren;
  action?: ComponentChildren;
}) {
  return (
    <div class="empty">
      <span class="empty-icon">
        <Icon name={icon} size={22} />
      </span>
      <p class="empty-title">{title}</p>
      {children ? <p class="empty-text">{children}</p> : null}
      {action ? <div class="empty-action">{action}</div> : null}
    </div>
  );
}

/** A server problem in words: what went wrong, which fields, and the request id for support. */
export function ErrorNotice({
  error,
  title,
  onRetry,
  compact,
}: {
  error: ApiError;
  title?: string;
  onRetry?: () => void;
  compact?: boolean;
}) {
  const heading =
    title ??
    (error.status === 0 ? 'Cannot reach the server' : error.status === 404 ? 'Not available' : error.title || 'Something went wrong');
  return (
    <div class={`notice notice-danger${compact ? ' notice-compact' : ''}`} role="alert">
      <Icon name="alert" size={18} />
      <div class="notice-body">
        <p class="notice-title">{heading}</p>
        <p>{error.detail}</p>
        {error.fieldErrors.length > 0 ? (
          <ul class="field-errors">
            {error.fieldErrors.map((item) => (
              <li key={item.field + item.message}>
                {item.field ? <code>{item.field}</code> : null} {item.message}
              </li>
            ))}
          </ul>
        ) : null}
        {error.requestId ? (
          <p class="muted small">
            Request id: <code>{error.requestId}</code>
          </p>
        ) : null}
        {onRetry ? (
          <Button size="sm" icon="refresh" onClick={onRetry}>
            Try again
          </Button>
        ) : null}
      </div>
    </div>
  );
}

export function Notice({
  tone = 'info',
  title,
  children,
}: {
  tone?: 'info' | 'warn' | 'ok' | 'danger';
  title?: string;
  children: ComponentChildren;
}) {
  return (
    <div class={`notice notice-${tone}`}>
      <Icon name={tone === 'ok' ? 'check' : tone === 'info' ? 'info' : 'alert'} size={18} />
      <div class="notice-body">
        {title ? <p class="notice-title">{title}</p> : null}
        <div>{children}</div>
      </div>
    </div>
  );
}
