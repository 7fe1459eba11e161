/** An on/off switch: a button with role="switch", so Space and Enter toggle it and screen readers say its state. */
export function Toggle({
  checked,
  onChange,
  label,
  disabled,
  busy,
  showLabel,
}: {
  checked: boolean;
  onChange: (next: boolean) => void;
  label: string;
  disabled?: boolean;
  busy?: boolean;
  showLabel?: boolean;
}) {
  return (
    <button
      type="button"
      role="switch"
      class={`switch${checked ? ' is-on' : ''}`}
      aria-checked={checked ? 'true' : 'false'}
      aria-label={showLabel ? undefined : label}
      aria-busy={busy ? 'true' : undefined}
      disabled={disabled || busy}
      onClick={() => onChange(!checked)}
    >
      <span class="switch-track" aria-hidden="true">
        <span class="switch-thumb" />
      </span>
      {showLabel ? <span class="switch-label">{label}</span> : null}
    </button>
  );
}
