/**
 * Reading the user token Clockify hands the iframe. The claims are decoded for display only
 * (theme, language, role); the server verifies the signature on every call.
 */
export interface TokenClaims {
  workspaceId?: string;
  user?: string;
  addonId?: string;
  workspaceRole?: string;
  theme?: string;
  language?: string;
  exp?: number;
  iat?: number;
}

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

export function looksLikeJwt(value: string): boolean {
  return value.length < 16_384 && JWT_SHAPE.test(value);
}

function base64UrlDecode(segment: string): string {
  const base64 = segment.replace(/-/g, '+').replace(/_/g, '/');
  const padded = base64 + '='.repeat((4 - (base64.length % 4)) % 4);
  const binary = atob(padded);
  const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

/** The token's claims, or null when it is not a JWT at all. */
export function decodeToken(token: string): TokenClaims | null {
  if (!looksLikeJwt(token)) return null;
  try {
    const payload = JSON.parse(base64UrlDecode(token.split('.')[1] ?? '')) as unknown;
    if (!payload || typeof payload !== 'object' || Array.isArray(payload)) return null;
    const claims = payload as Record<string, unknown>;
    const text = (key: string) => (typeof claims[key] === 'string' ? (claims[key] as string) : undefined);
    const number = (key: string) => (typeof claims[key] === 'number' ? (claims[key] as number) : undefined);
    return {
      workspaceId: text('workspaceId'),
      user: text('user'),
      addonId: text('addonId'),
      workspaceRole: text('workspaceRole'),
      theme: text('theme'),
      language: text('language'),
      exp: number('exp'),
      iat: number('iat'),
    };
  } catch {
    return null;
  }
}

export type Theme = 'light' | 'dark';

/** Clockify's `theme` claim: `DARK` is dark, anything else (`DEFAULT`) light. */
export function themeOf(claims: Pick<TokenClaims, 'theme'> | null | undefined): Theme {
  return claims?.theme?.toUpperCase() === 'DARK' ? 'dark' : 'light';
}

export function isAdminRole(role: string | undefined): boolean {
  return role === 'OWNER' || role === 'ADMIN';
}

/** Ask for a new token this long before the current one runs out. */
export const REFRESH_LEAD_SECONDS = 5 * 60;

/**
 * Milliseconds from now until a refresh should be requested, or null for a token without expiry.
 * The token's own lifetime (exp - iat) is measured from when it arrived, so a browser clock that is
 * off by hours does not matter: only the token's duration is trusted, not its absolute times.
 */
export function refreshDelayMs(claims: Pick<TokenClaims, 'exp' | 'iat'>, receivedAtMs: number, nowMs: number): number | null {
  if (claims.exp === undefined) return null;
  const lifetimeSeconds = claims.iat !== undefined ? claims.exp - claims.iat : claims.exp - receivedAtMs / 1000;
  // Short-lived tokens (tests, unusual setups) refresh at half their life instead.
  const leadSeconds = Math.min(REFRESH_LEAD_SECONDS, lifetimeSeconds / 2);
  const dueAtMs = receivedAtMs + (lifetimeSeconds - leadSeconds) * 1000;
  return Math.max(0, dueAtMs - nowMs);
}

/** A refreshed token must be for the same person in the same workspace; anything else is ignored. */
export function sameSubject(current: TokenClaims, next: TokenClaims): boolean {
  return current.workspaceId === next.workspaceId && current.user === next.user;
}
