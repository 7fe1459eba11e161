import { hash } from 'node:crypto';
import { canonicalJson } from '../util/json.js';

/**
 * Clockify retries deliveries and sends no event id, so a delivery is identified by what it says:
 * workspace, source, event type and the canonical payload (key order does not matter). Sources that
 * do send an id (Standard Webhooks `webhook-id`) are identified by it instead.
 */
export function deliveryKey(input: { workspaceId: string; source: string; eventType: string; payload: unknown; deliveryId?: string }): string {
  // One string, hashed in one call: every webhook computes this.
  const identity = input.deliveryId ? `id:${input.deliveryId}` : `body:${canonicalJson(input.payload)}`;
  return hash('sha256', `${input.workspaceId}\0${input.source}\0${input.eventType}\0${identity}`, 'base64url');
}
