import { looksLikeJwt } from './claims';

/** What the iframe posts to Clockify to get a fresh user token. */
export const REFRESH_REQUEST = JSON.stringify({ action: 'refreshAddonToken' });

/**
 * The new token out of Clockify's reply, whose format is undocumented. Accepted:
 * `{title: 'refreshAddonToken', body: <jwt>}` as an object or as JSON text, and a bare JWT string.
 * Anything else (Clockify's other window events, unrelated messages) gives null.
 */
export function tokenFromRefreshMessage(data: unknown): string | null {
  let value = data;
  if (typeof value === 'string') {
    const text = value.trim();
    if (looksLikeJwt(text)) return text;
    if (!text.startsWith('{')) return null;
    try {
      value = JSON.parse(text);
    } catch {
      return null;
    }
  }
  if (!value || typeof value !== 'object') return null;
  const message = value as Record<string, unknown>;
  if ((message.title ?? message.action) !== 'refreshAddonToken') return null;
  const body = message.body ?? message.payload ?? message.token;
  const candidate =
    typeof body === 'string'
      ? body
      : body && typeof body === 'object'
        ? ((body as Record<string, unknown>).token ?? (body as Record<string, unknown>).authToken)
        : undefined;
  return typeof candidate === 'string' && looksLikeJwt(candidate.trim()) ? candidate.trim() : null;
}
