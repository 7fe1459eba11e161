/** A determinate progress bar with its numbers in words next to it. */
export function ProgressBar({
  value,
  max,
  label,
  tone = 'info',
}: {
  value: number;
  max: number;
  label: string;
  tone?: 'info' | 'ok' | 'warn' | 'danger' | 'neutral';
}) {
  const ratio = max > 0 ? Math.min(1, Math.max(0, value / max)) : 0;
  const percent = Math.round(ratio * 100);
  return (
    <div class="progress">
      <div
        class={`progress-track progress-${tone}`}
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={max > 0 ? max : 100}
        aria-valuenow={max > 0 ? Math.min(value, max) : 0}
        aria-valuetext={max > 0 ? `${value} of ${max} (${percent}%)` : 'Not started'}
      >
        <div class="progress-fill" style={{ width: `${percent}%` }} />
      </div>
    </div>
  );
}
