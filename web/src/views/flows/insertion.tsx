import { createContext } from 'preact';
import type { ComponentChildren } from 'preact';
import { useContext, useMemo, useRef } from 'preact/hooks';
import { useStore } from '../../hooks/use-store';
import { Icon } from '../../ui/icons';
import { insertAt, insideJsonString } from '../../lib/json-path';
import { createStore } from '../../lib/store';
import type { Store } from '../../lib/store';

/**
 * Where a field picked in the sample payload goes: the condition path or action field that last
 * had focus. Paths replace a condition's path; templates are inserted at the caret.
 */
export interface InsertTarget {
  /** `path` for condition paths ($.a.b), `template` for action fields ({{ event.a.b }}), `json` for JSON bodies. */
  mode: 'path' | 'template' | 'json';
  label: string;
  element: HTMLInputElement | HTMLTextAreaElement;
  apply(value: string): void;
}

interface Insertion {
  target: Store<InsertTarget | null>;
  /** The picker as a dialog, opened from a field's own button (the side panel is far away on a narrow screen). */
  dialogOpen: Store<boolean>;
}

const InsertionContext = createContext<Insertion | null>(null);

export function InsertionProvider({ children }: { children: ComponentChildren }) {
  const value = useMemo<Insertion>(() => ({ target: createStore<InsertTarget | null>(null), dialogOpen: createStore(false) }), []);
  return <InsertionContext.Provider value={value}>{children}</InsertionContext.Provider>;
}

const NO_TARGET = createStore<InsertTarget | null>(null);
const NO_DIALOG = createStore(false);

export function useInsertTarget(): InsertTarget | null {
  return useStore(useContext(InsertionContext)?.target ?? NO_TARGET);
}

export function usePickerDialog(): { open: boolean; close(): void } {
  const insertion = useContext(InsertionContext);
  const open = useStore(insertion?.dialogOpen ?? NO_DIALOG);
  return { open, close: () => insertion?.dialogOpen.set(false) };
}

/** Put a picked field into the current target and give focus back to it. */
export function insertIntoTarget(target: InsertTarget, field: { path: string; template: string }): void {
  const { element } = target;
  if (target.mode === 'path') {
    target.apply(field.path);
    window.setTimeout(() => element.focus(), 0);
    return;
  }
  const start = element.selectionStart;
  const end = element.selectionEnd;
  const text =
    target.mode === 'json' && !insideJsonString(element.value, start ?? element.value.length)
      ? JSON.stringify(field.template)
      : field.template;
  const next = insertAt(element.value, start, end, text);
  target.apply(next.value);
  // Let the new value render, then put the caret after the insertion.
  window.setTimeout(() => {
    element.focus();
    element.setSelectionRange(next.caret, next.caret);
  }, 0);
}

/**
 * Makes an input or textarea a target of the field picker: it becomes the target when it gets
 * focus, and `PickButton` opens the picker for it directly.
 */
export function usePickable(mode: InsertTarget['mode'], label: string, apply: (value: string) => void) {
  const insertion = useContext(InsertionContext);
  const applyRef = useRef(apply);
  applyRef.current = apply;
  const ref = useRef<HTMLInputElement & HTMLTextAreaElement>(null);
  const select = (element: HTMLInputElement | HTMLTextAreaElement) =>
    insertion?.target.set({ mode, label, element, apply: (value) => applyRef.current(value) });
  return {
    props: {
      ref,
      onFocus: (event: FocusEvent) => select(event.currentTarget as HTMLInputElement | HTMLTextAreaElement),
    },
    openPicker: () => {
      if (!ref.current) return;
      select(ref.current);
      insertion?.dialogOpen.set(true);
    },
    label,
  };
}

export function PickButton({ pickable, disabled }: { pickable: { openPicker(): void; label: string }; disabled?: boolean }) {
  if (disabled) return null;
  return (
    <button
      type="button"
      class="icon-button pick-button"
      aria-label={`Pick an event field for ${pickable.label}`}
      title="Pick an event field"
      onClick={pickable.openPicker}
    >
      <Icon name="braces" />
    </button>
  );
}
