import type { EditionDefinition } from '../editions/types.js';
import { API_KEY_ONLY_REASON, type Operation } from '../clockify/catalog/index.js';

/** Pure: may this user of this edition see / run this operation? */
export function explorerAccess(
  edition: EditionDefinition,
  operation: Operation,
  isAdmin: boolean,
): { visible: boolean; runnable: boolean; reason?: string } {
  if (!operation.readOnly && !edition.capabilities.explorerWrites)
    return { visible: false, runnable: false, reason: `${edition.name} runs safe GET operations only.` };
  // Listed (so the user learns it exists and why it cannot run), never sent.
  if (!operation.addonTokenAccepted) return { visible: true, runnable: false, reason: API_KEY_ONLY_REASON };
  if (!operation.readOnly && !isAdmin)
    return { visible: true, runnable: false, reason: 'Only workspace owners and admins can run operations that change data.' };
  return { visible: true, runnable: true };
}
