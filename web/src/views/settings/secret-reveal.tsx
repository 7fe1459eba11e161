import { CopyButton } from '../../ui/copy-button';
import { Notice } from '../../ui/feedback';

/** A secret shown once, with a copy button and the warning that it cannot be shown again. */
export function SecretReveal({ secret, what, note, once }: { secret: string; what: string; note?: string; once?: boolean }) {
  return (
    <div class="stack-sm" data-testid="secret-reveal">
      <Notice tone="warn" title={once ? 'Copy it now' : what}>
        {once ? "You won't see it again: it is stored encrypted and never shown twice. If you lose it, rotate the secret." : note}
      </Notice>
      <div class="secret-box">
        <code aria-label={what}>{secret}</code>
        <CopyButton text={secret} what={what} />
      </div>
      {once && note ? <p class="muted small">{note}</p> : null}
    </div>
  );
}
