import type { ComponentChildren } from 'preact';
import { useId } from 'preact/hooks';

/**
 * A labelled form control with its help text and error. `children` receives the ids to wire:
 * the control's id and the ids that describe it.
 */
export function Field({
  label,
  hint,
  error,
  required,
  children,
  inline,
}: {
  label: ComponentChildren;
  hint?: ComponentChildren;
  error?: string;
  required?: boolean;
  inline?: boolean;
  children: (ids: { id: string; describedBy: string | undefined; invalid: boolean }) => ComponentChildren;
}) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div class={`field${inline ? ' field-inline' : ''}${error ? ' has-error' : ''}`}>
      <label class="field-label" for={id}>
        {label}
        {required ? (
          <span class="required" aria-hidden="true">
            {' '}
            *
          </span>
        ) : null}
        {required ? <span class="visually-hidden"> (required)</span> : null}
      </label>
      {children({ id, describedBy, invalid: !!error })}
      {hint ? (
        <p class="field-hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p class="field-error" id={errorId}>
          {error}
        </p>
      ) : null}
    </div>
  );
}
