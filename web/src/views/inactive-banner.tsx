import { Notice } from '../ui/feedback';

/** While the add-on is deactivated in the workspace every change is refused (409): say so before anyone tries. */
export function InactiveBanner() {
  return (
    <div data-testid="inactive-banner" role="status">
      <Notice tone="warn" title="The add-on is deactivated in this workspace">
        Everything here is read-only until a workspace admin activates it again in Clockify (Workspace settings → Add-ons). Events are not
        received meanwhile.
      </Notice>
    </div>
  );
}
