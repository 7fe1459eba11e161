import { decodeToken } from './claims';

/**
 * The user token kept for this browser tab only (sessionStorage), so a reload keeps the session
 * until the token runs out. Never localStorage: a closed tab forgets it. The token's lifetime is
 * counted from when it arrived (exp − iat), not from the browser's clock reading of `exp`.
 */
const KEY = 'clockify-addon-session';

export interface StoredToken {
  token: string;
  receivedAt: number;
}

export type Restored = { status: 'none' } | { status: 'expired' } | { status: 'ok'; token: string; receivedAt: number };

/** When a token received at `receivedAt` runs out, in this browser's clock; null without an expiry. */
export function expiresAtMs(token: string, receivedAt: number): number | null {
  const claims = decodeToken(token);
  if (!claims?.exp) return null;
  const lifetimeSeconds = claims.iat !== undefined ? claims.exp - claims.iat : claims.exp - receivedAt / 1000;
  return receivedAt + lifetimeSeconds * 1000;
}

export function saveToken(storage: Storage | undefined, token: string, receivedAt: number): void {
  try {
    storage?.setItem(KEY, JSON.stringify({ token, receivedAt } satisfies StoredToken));
  } catch {
    // Storage full or blocked (third-party iframe rules): the session then lasts until a reload.
  }
}

export function forgetToken(storage: Storage | undefined): void {
  try {
    storage?.removeItem(KEY);
  } catch {
    // Nothing stored.
  }
}

export function restoreToken(storage: Storage | undefined, now: number): Restored {
  let stored: Partial<StoredToken> | null = null;
  try {
    stored = JSON.parse(storage?.getItem(KEY) ?? 'null') as Partial<StoredToken> | null;
  } catch {
    stored = null;
  }
  if (!stored || typeof stored.token !== 'string' || typeof stored.receivedAt !== 'number') return { status: 'none' };
  const expiresAt = expiresAtMs(stored.token, stored.receivedAt);
  if (expiresAt !== null && expiresAt <= now) {
    forgetToken(storage);
    return { status: 'expired' };
  }
  return { status: 'ok', token: stored.token, receivedAt: stored.receivedAt };
}

/** The tab's storage, or undefined where the browser refuses it (a sandboxed frame). */
export function tabStorage(): Storage | undefined {
  try {
    return window.sessionStorage;
  } catch {
    return undefined;
  }
}
