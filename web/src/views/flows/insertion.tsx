import { createContext } from 'preact';
import type { ComponentChildren } from 'preact';
import { useContext, useMemo, useRef } from 'preact/hooks';
import { useStore } from '../../hooks/use-store';
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

const TargetContext = createContext<Store<InsertTarget | null> | null>(null);

export function InsertionProvider({ children }: { children: ComponentChildren }) {
  const store = useMemo(() => createStore<InsertTarget | null>(null), []);
  return <TargetContext.Provider value={store}>{children}</TargetContext.Provider>;
}

export function useInsertTarget(): InsertTarget | null {
  const store = useContext(TargetContext);
  return useStore(store ?? NO_TARGET);
}

const NO_TARGET = createStore<InsertTarget | null>(null);

/** Put a picked field into the current target and give focus back to it. */
export function insertIntoTarget(target: InsertTarget, field: { path: string; template: string }): void {
  const { element } = target;
  if (target.mode === 'path') {
    target.apply(field.path);
    element.focus();
    return;
  }
  const start = element.selectionStart;
  const end = element.selectionEnd;
  const text = target.mode === 'json' && !insideJsonString(element.value, start ?? element.value.length) ? JSON.stringify(field.template) : field.template;
  const next = insertAt(element.value, start, end, text);
  target.apply(next.value);
  // Let the new value render, then put the caret after the insertion.
  window.setTimeout(() => {
    element.focus();
    element.setSelectionRange(next.caret, next.caret);
  }, 0);
}

/** Props that make an input or textarea a target of the field picker when it gets focus. */
export function usePickable(mode: InsertTarget['mode'], label: string, apply: (value: string) => void) {
  const store = useContext(TargetContext);
  const applyRef = useRef(apply);
  applyRef.current = apply;
  return {
    onFocus: (event: FocusEvent) => {
      const element = event.currentTarget as HTMLInputElement | HTMLTextAreaElement;
      store?.set({ mode, label, element, apply: (value) => applyRef.current(value) });
    },
  };
}
