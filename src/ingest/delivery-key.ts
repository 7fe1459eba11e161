import { createHash } from 'node:crypto';
import { canonicalJson } from '../util/json.js';

/**
 * Clockify retries deliveries and sends no event id, so a delivery is identified by what it says:
 * workspace, source, event type and the canonical payload (key order does not matter). Sources that
 * do send an id (Standard Webhooks `webhook-id`) are identified by it instead.
 */
export function deliveryKey(input: { workspaceId: string; source: string; eventType: string; payload: unknown; deliveryId?: string }): string {
  const hash = createHash('sha256');
  hash.update(input.workspaceId).update('\0').update(input.source).update('\0').update(input.eventType).update('\0');
  if (input.deliveryId) hash.update('id:').update(input.deliveryId);
  else hash.update('body:').update(canonicalJson(input.payload));
  return hash.digest('base64url');
}
