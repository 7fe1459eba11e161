import type { CapabilityState } from '../api/types';
import { Notice } from './feedback';

/** What a setting blocks, in place: why it is off and how an admin turns it on. */
export function BlockedNotice({ capability, title }: { capability: CapabilityState; title?: string }) {
  return (
    <Notice tone="warn" title={title ?? `Off in this workspace: ${capability.label}`}>
      <span data-testid="blocked-reason">
        {capability.reason} {capability.howToEnable}
      </span>
    </Notice>
  );
}
