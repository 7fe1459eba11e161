import type { EndReason } from '../session/session';
import { Icon } from '../ui/icons';

const EXPLANATIONS: Record<EndReason, string> = {
  missing: 'This page was opened without a sign-in token. It only works inside Clockify.',
  malformed: 'The sign-in token in the address is not a valid Clockify token.',
  rejected: 'Clockify sign-in tokens last 30 minutes; this one has expired or was not accepted.',
  'not-installed': 'The add-on is no longer installed in this workspace, or it was reinstalled.',
};

/** The whole page when the token is missing, expired or refused: one clear way forward instead of a broken page. */
export function SessionEnded({ reason, detail }: { reason: EndReason; detail?: string }) {
  return (
    <main class="session-ended" id="main">
      <div class="session-card" role="alert">
        <span class="session-icon">
          <Icon name="lock" size={28} />
        </span>
        <h1>Your session has expired — reopen the add-on from Clockify's sidebar</h1>
        <p>{EXPLANATIONS[reason]}</p>
        <p class="muted">Click the add-on's name in Clockify's sidebar (under Add-ons) to open it again with a fresh session. Nothing you saved is lost.</p>
        {detail ? <p class="muted small">Server said: {detail}</p> : null}
      </div>
    </main>
  );
}
