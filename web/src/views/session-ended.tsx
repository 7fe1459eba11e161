import type { ComponentChildren } from 'preact';
import type { EndReason } from '../session/session';
import { Icon } from '../ui/icons';

interface Page {
  title: string;
  body: ComponentChildren;
}

const REOPEN =
  "Click the add-on's name in Clockify's sidebar (under Add-ons) to open it again with a fresh session. Nothing you saved is lost.";

/** One page per way a session can be missing, each with the way forward. */
const PAGES: Record<EndReason, Page> = {
  missing: {
    title: 'Open this add-on from Clockify',
    body: (
      <>
        <p>This page needs a sign-in token, which Clockify adds when it opens the add-on. Opened on its own, it has none.</p>
        <ol class="steps">
          <li>In Clockify, open the workspace where the add-on is installed.</li>
          <li>Click the add-on's name in the sidebar (under Add-ons): this page opens there, signed in.</li>
        </ol>
        <p class="muted">
          Running it locally? <code>npm run cli -- token &lt;edition&gt;</code> (api-studio, universal-webhook or clockify-addon) prints a
          sidebar link with a token from the local sandbox.
        </p>
      </>
    ),
  },
  malformed: {
    title: 'This sign-in link is not valid',
    body: (
      <>
        <p>The token in the address is not a Clockify sign-in token: the link was cut off or changed.</p>
        <p class="muted">{REOPEN}</p>
      </>
    ),
  },
  rejected: {
    title: 'This sign-in token was not accepted',
    body: (
      <>
        <p>The add-on could not verify the token: it was not issued by Clockify for this add-on, or it was changed.</p>
        <p class="muted">{REOPEN}</p>
      </>
    ),
  },
  expired: {
    title: 'Your session has expired',
    body: (
      <>
        <p>
          Clockify sign-in tokens last 30 minutes. This page normally renews its own, but could not this time (for example after the
          computer slept).
        </p>
        <p class="muted">{REOPEN}</p>
      </>
    ),
  },
  'not-installed': {
    title: 'The add-on is not installed in this workspace',
    body: (
      <>
        <p>It was uninstalled or reinstalled since this page was opened.</p>
        <p class="muted">A workspace admin can install it again from Clockify's Add-ons page; then open it from the sidebar.</p>
      </>
    ),
  },
};

/** The whole page when the token is missing, invalid, expired or the add-on is gone: one clear way forward. */
export function SessionEnded({ reason, detail }: { reason: EndReason; detail?: string }) {
  const page = PAGES[reason];
  return (
    <main class="session-ended" id="main" data-reason={reason}>
      <div class="session-card" role="alert">
        <span class="session-icon">
          <Icon name="lock" size={28} />
        </span>
        <h1>{page.title}</h1>
        {page.body}
        {detail ? <p class="muted small">Server said: {detail}</p> : null}
      </div>
    </main>
  );
}
