import { useEffect, useRef, useState } from 'preact/hooks';
import { prettyJson } from '../../lib/format';
import { parseBody } from '../../lib/params';
import { Field } from '../../ui/field';
import { Button } from '../../ui/button';
import { usePickable } from './insertion';

/**
 * A JSON editor bound to a value: the text is kept as typed, the value changes only when the text
 * parses, and the parse error is reported to the form (which refuses to save until it is fixed).
 */
export function JsonField({
  label,
  value,
  onChange,
  onValidity,
  hint,
  pickLabel,
  readOnly,
  rows = 6,
}: {
  label: string;
  value: unknown;
  onChange: (value: unknown) => void;
  onValidity: (error: string | null) => void;
  hint?: string;
  pickLabel: string;
  readOnly: boolean;
  rows?: number;
}) {
  const [text, setText] = useState(() => prettyJson(value));
  const [error, setError] = useState<string | null>(null);
  const lastEmitted = useRef<unknown>(value);
  // A change from outside (JSON mode, "insert example") replaces the text.
  useEffect(() => {
    if (value !== lastEmitted.current) {
      setText(prettyJson(value));
      setError(null);
      onValidity(null);
      lastEmitted.current = value;
    }
    // Only a new value from outside resets the text; the parent's inline onValidity changes every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [value]);
  const update = (next: string) => {
    setText(next);
    const parsed = parseBody(next);
    const message = parsed.ok ? null : `Not valid JSON: ${parsed.message}`;
    setError(message);
    onValidity(message);
    if (parsed.ok) {
      lastEmitted.current = parsed.value;
      onChange(parsed.value);
    }
  };
  const pickable = usePickable('json', pickLabel, update);
  return (
    <Field label={label} hint={hint} error={error ?? undefined}>
      {({ id, describedBy, invalid }) => (
        <>
          <textarea
            id={id}
            class="textarea"
            rows={Math.min(16, Math.max(rows, text.split('\n').length + 1))}
            spellcheck={false}
            value={text}
            readOnly={readOnly}
            aria-describedby={describedBy}
            aria-invalid={invalid ? 'true' : undefined}
            {...pickable.props}
            onInput={(event) => update(event.currentTarget.value)}
          />
          {readOnly ? null : (
            <div>
              <Button
                size="sm"
                variant="ghost"
                icon="braces"
                onClick={pickable.openPicker}
                aria-label={`Insert an event field into ${pickLabel}`}
              >
                Insert event field
              </Button>
            </div>
          )}
        </>
      )}
    </Field>
  );
}
