import type { ComponentChildren } from 'preact';
import { useRef } from 'preact/hooks';

export interface SegmentOption<T extends string> {
  value: T;
  label: ComponentChildren;
}

/**
 * Tabs for switching between panes of one view (Tree / Raw, Definition / Runs). Arrow keys move
 * between tabs as the ARIA tabs pattern expects; the panes carry role="tabpanel" themselves.
 */
export function Segmented<T extends string>({
  options,
  value,
  onChange,
  label,
  idPrefix,
}: {
  options: SegmentOption<T>[];
  value: T;
  onChange: (value: T) => void;
  label: string;
  idPrefix: string;
}) {
  const list = useRef<HTMLDivElement>(null);
  const onKeyDown = (event: KeyboardEvent) => {
    const index = options.findIndex((option) => option.value === value);
    let next = index;
    if (event.key === 'ArrowRight' || event.key === 'ArrowDown') next = (index + 1) % options.length;
    else if (event.key === 'ArrowLeft' || event.key === 'ArrowUp') next = (index - 1 + options.length) % options.length;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = options.length - 1;
    else return;
    event.preventDefault();
    const option = options[next];
    if (!option) return;
    onChange(option.value);
    list.current?.querySelectorAll<HTMLButtonElement>('[role="tab"]')[next]?.focus();
  };
  return (
    <div class="segmented" role="tablist" aria-label={label} ref={list} onKeyDown={onKeyDown}>
      {options.map((option) => (
        <button
          key={option.value}
          type="button"
          role="tab"
          id={`${idPrefix}-tab-${option.value}`}
          aria-controls={`${idPrefix}-panel-${option.value}`}
          aria-selected={option.value === value ? 'true' : 'false'}
          tabIndex={option.value === value ? 0 : -1}
          class={option.value === value ? 'is-selected' : undefined}
          onClick={() => onChange(option.value)}
        >
          {option.label}
        </button>
      ))}
    </div>
  );
}

export function TabPanel<T extends string>({ idPrefix, value, children }: { idPrefix: string; value: T; children: ComponentChildren }) {
  return (
    <div role="tabpanel" id={`${idPrefix}-panel-${value}`} aria-labelledby={`${idPrefix}-tab-${value}`} tabIndex={0} class="tabpanel">
      {children}
    </div>
  );
}
