import { useId, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { renderValue } from '../../../../../src/flows/templates';
import type { TemplateContext } from '../../../../../src/flows/templates';
import { applySuggestion, completionSpot, jsonPathSpot, suggestionsFor } from '../../../lib/template-completion';
import type { CompletionSpot, Suggestion } from '../../../lib/template-completion';
import { PickButton, usePickable } from '../insertion';
import { previewContext, scopePaths, useTemplateFunctions, useTemplateScope } from './scope';

/**
 * A text field for a template (`{{ event.description | upper }}`) or, with `jsonPath`, one
 * `$.`-path: it completes field paths and functions at the caret, takes fields from the picker,
 * and previews the value against the sample event as you type (with the server's own renderer).
 */
export function TemplateInput({
  id,
  value,
  onChange,
  label,
  ariaLabel,
  describedBy,
  placeholder,
  mono = true,
  jsonPath = false,
}: {
  id?: string;
  value: string;
  onChange: (value: string) => void;
  /** Names the picker target and the suggestions. */
  label: string;
  /** The input's own accessible name, when no <label> names it. */
  ariaLabel?: string;
  describedBy?: string;
  placeholder?: string;
  mono?: boolean;
  jsonPath?: boolean;
}) {
  // The picker hands event paths as `$.projectId`; in a step's context the event sits under `$.event`.
  const pickable = usePickable(jsonPath ? 'path' : 'template', label, (picked) => onChange(jsonPath ? underEvent(picked) : picked));
  const scope = useTemplateScope();
  const functions = useTemplateFunctions();
  const listId = useId();
  const [caret, setCaret] = useState<number | null>(null);
  const [active, setActive] = useState(0);
  // Escape hides the suggestions until the next keystroke.
  const [closed, setClosed] = useState(false);
  const spot: CompletionSpot | undefined = caret === null ? undefined : jsonPath ? jsonPathSpot(value) : completionSpot(value, caret);
  const suggestions: Suggestion[] = useMemo(
    () => (spot && !closed ? suggestionsFor(spot, { paths: scopePaths(scope), functions }) : []),
    // `spot` is a new object each render: its fields are the dependencies.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [spot?.start, spot?.end, spot?.typed, spot?.kind, scope, functions, closed],
  );
  const preview = usePreview(value, jsonPath);
  const input = pickable.props.ref;

  // The caret after a picked suggestion, placed as soon as the field shows the new value: a later
  // timer would move it back over what a quick typist has typed meanwhile.
  const pendingCaret = useRef<number | null>(null);
  const placeCaret = (at: number) => {
    pendingCaret.current = null;
    input.current?.focus();
    input.current?.setSelectionRange(at, at);
    setCaret(at);
  };
  useLayoutEffect(() => {
    if (pendingCaret.current !== null && input.current?.value === value) placeCaret(pendingCaret.current);
    // Runs for each new value; the pending caret is read from its ref.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [value]);
  const pick = (suggestion: Suggestion) => {
    if (!spot) return;
    const next = applySuggestion(value, spot, suggestion.insert);
    setActive(0);
    if (next.value === value) return placeCaret(next.caret);
    pendingCaret.current = next.caret;
    onChange(next.value);
  };
  const open = suggestions.length > 0;
  return (
    <span class="template-field">
      <span class="input-with-pick">
        <input
          id={id}
          class={`input${mono ? ' mono' : ''}`}
          value={value}
          placeholder={placeholder}
          aria-describedby={describedBy}
          aria-label={ariaLabel}
          spellcheck={false}
          autocomplete="off"
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={open ? 'true' : 'false'}
          aria-controls={open ? listId : undefined}
          aria-activedescendant={open ? `${listId}-${active}` : undefined}
          {...pickable.props}
          onFocus={(event) => {
            pickable.props.onFocus(event);
            setCaret(event.currentTarget.selectionStart);
          }}
          onBlur={() => window.setTimeout(() => setCaret(null), 150)}
          onInput={(event) => {
            setClosed(false);
            setActive(0);
            setCaret(event.currentTarget.selectionStart);
            onChange(event.currentTarget.value);
          }}
          onKeyUp={(event) => {
            if (['ArrowLeft', 'ArrowRight', 'Home', 'End'].includes(event.key)) setCaret(event.currentTarget.selectionStart);
          }}
          onClick={(event) => setCaret(event.currentTarget.selectionStart)}
          onKeyDown={(event) => {
            if (!open) return;
            if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
              event.preventDefault();
              setActive((current) => (current + (event.key === 'ArrowDown' ? 1 : suggestions.length - 1)) % suggestions.length);
            } else if (event.key === 'Enter' || event.key === 'Tab') {
              const chosen = suggestions[active];
              if (chosen) {
                event.preventDefault();
                pick(chosen);
              }
            } else if (event.key === 'Escape') {
              setClosed(true);
            }
          }}
        />
        <PickButton pickable={pickable} />
      </span>
      {open ? (
        <ul class="completion-list" id={listId} role="listbox" aria-label={`Suggestions for ${label}`}>
          {suggestions.map((suggestion, index) => (
            <li
              key={suggestion.insert}
              id={`${listId}-${index}`}
              role="option"
              aria-selected={index === active ? 'true' : 'false'}
              class={index === active ? 'is-active' : undefined}
              onMouseDown={(event) => {
                event.preventDefault();
                pick(suggestion);
              }}
            >
              <span class="mono">{suggestion.insert}</span>
              {suggestion.detail ? <span class="muted small truncate">{suggestion.detail}</span> : null}
            </li>
          ))}
        </ul>
      ) : null}
      {preview ? (
        <span class={`template-preview small${preview.ok ? '' : ' is-error'}`} data-testid="template-preview" aria-live="polite">
          {preview.text}
        </span>
      ) : null}
    </span>
  );
}

/** "Preview: …" for a value holding a template (or a `$.` path), against the sample event. */
function usePreview(value: string, jsonPath: boolean): { ok: boolean; text: string } | undefined {
  const scope = useTemplateScope();
  return useMemo(() => {
    if (scope.sample === undefined) return undefined;
    const template = jsonPath ? (value.startsWith('$.') ? `{{ ${value.slice(2)} }}` : value) : value;
    if (!template.includes('{{')) return undefined;
    const result = renderValue(template, previewContext(scope) as TemplateContext);
    if (!result.ok) return { ok: false, text: `Cannot preview: ${result.message}` };
    if (result.missing.length > 0 && (result.value === '' || result.value === undefined))
      return { ok: false, text: `Not in the sample: ${result.missing.join(', ')}` };
    const text = typeof result.value === 'string' ? result.value : JSON.stringify(result.value);
    return { ok: true, text: `Preview: ${text === undefined ? '(nothing)' : text.length > 200 ? `${text.slice(0, 200)}…` : text}` };
  }, [value, jsonPath, scope]);
}

function underEvent(path: string): string {
  if (path.startsWith('$.event.') || path.startsWith('$.event[')) return path;
  return path.startsWith('$.') ? `$.event.${path.slice(2)}` : path.startsWith('$[') ? `$.event${path.slice(1)}` : path;
}
