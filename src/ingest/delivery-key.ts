import { hash } from 'node:crypto';
import { canonicalJson } from '../util/json.js';

/**
 * Clockify retries deliveries and sends no event id, so a delivery is identified by what it says:
 * workspace, source, event type and the canonical payload (key order does not matter). Sources that
 * do send an id are identified by it instead, and signed custom sources by what the signature covers
 * (`signedIdentity`: the Standard Webhooks id, or the digest of an HMAC-signed body).
 */
export function deliveryKey(input: {
  workspaceId: string;
  source: string;
  eventType: string;
  payload: unknown;
  deliveryId?: string;
  signedIdentity?: string;
}): string {
  // A signed source names its delivery by what its signature covers: nothing the sender can change
  // without the secret (an id header, the event-type header) makes a replay a new delivery.
  if (input.signedIdentity) return hash('sha256', `${input.workspaceId}\0${input.source}\0signed:${input.signedIdentity}`, 'base64url');
  // One string, hashed in one call: every webhook computes this.
  const identity = input.deliveryId ? `id:${input.deliveryId}` : `body:${canonicalJson(input.payload)}`;
  return hash('sha256', `${input.workspaceId}\0${input.source}\0${input.eventType}\0${identity}`, 'base64url');
}
