import type { Runtime } from '../runtime.js';

/**
 * The signing secret of a workspace's forwarded events, derived from the encryption key so there is
 * nothing more to store or lose; admins read it in the settings view (here) to configure their
 * receiver, and the ingest room signs forwarded events with it.
 */
export function forwardingSecret(runtime: Pick<Runtime, 'box' | 'editionConfig'>, workspaceId: string): string {
  return `whsec_${runtime.box.derive(`forwarding:${runtime.editionConfig.key}:${workspaceId}`).toString('base64')}`;
}
