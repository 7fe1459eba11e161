import { createStore } from '../lib/store';
import type { Store } from '../lib/store';
import { decodeToken, refreshDelayMs, sameSubject } from './claims';
import type { TokenClaims } from './claims';
import { REFRESH_REQUEST, tokenFromRefreshMessage } from './refresh-message';
import { expiresAtMs, forgetToken, saveToken } from './token-store';

/** Why there is no session: never had a token, a token that is not valid, one that ran out, or no installation. */
export type EndReason = 'missing' | 'malformed' | 'rejected' | 'expired' | 'not-installed';

export type SessionState = { status: 'active'; claims: TokenClaims } | { status: 'ended'; reason: EndReason; detail?: string };

const RETRY_REFRESH_MS = 60_000;

/**
 * The user token lives here: taken from the address bar once (or, after a reload, from this tab's
 * sessionStorage), sent as a Bearer header, renewed through Clockify before it expires, kept for
 * this tab only and never logged.
 */
export class Session {
  readonly state: Store<SessionState>;
  private token: string | null;
  private receivedAt = Date.now();
  private refreshTimer: number | undefined;
  private readonly onMessage = (event: MessageEvent) => this.acceptRefresh(event);
  private readonly storage: Storage | undefined;

  constructor(token: string | null, options: { receivedAt?: number; storage?: Storage; endedBecause?: EndReason } = {}) {
    const claims = token ? decodeToken(token) : null;
    this.token = claims ? token : null;
    this.storage = options.storage;
    this.receivedAt = options.receivedAt ?? Date.now();
    this.state = createStore<SessionState>(
      claims ? { status: 'active', claims } : { status: 'ended', reason: token ? 'malformed' : (options.endedBecause ?? 'missing') },
    );
    if (claims && token) {
      saveToken(this.storage, token, this.receivedAt);
      window.addEventListener('message', this.onMessage);
      this.scheduleRefresh(claims);
    }
  }

  /** Whether the current token has run out by now (the server then refuses it as expired). */
  expired(now = Date.now()): boolean {
    const expiresAt = this.token ? expiresAtMs(this.token, this.receivedAt) : null;
    return expiresAt !== null && expiresAt <= now;
  }

  /** The current token, or null once the session has ended. */
  currentToken(): string | null {
    return this.state.get().status === 'active' ? this.token : null;
  }

  end(reason: EndReason, detail?: string): void {
    if (this.state.get().status === 'ended') return;
    this.token = null;
    forgetToken(this.storage);
    window.clearTimeout(this.refreshTimer);
    window.removeEventListener('message', this.onMessage);
    this.state.set({ status: 'ended', reason, detail });
  }

  private scheduleRefresh(claims: TokenClaims, delayOverride?: number): void {
    window.clearTimeout(this.refreshTimer);
    const delay = delayOverride ?? refreshDelayMs(claims, this.receivedAt, Date.now());
    if (delay === null) return;
    this.refreshTimer = window.setTimeout(() => {
      this.requestRefresh();
      // Until a reply arrives, ask again every minute; after expiry the server answers 401 and the session ends.
      this.scheduleRefresh(claims, RETRY_REFRESH_MS);
    }, delay);
  }

  private requestRefresh(): void {
    try {
      window.top?.postMessage(REFRESH_REQUEST, '*');
    } catch {
      // Outside Clockify there is nobody to ask; the session simply runs out.
    }
  }

  private acceptRefresh(event: MessageEvent): void {
    // Only the embedding page (Clockify) may hand us a token.
    if (event.source !== window.parent && event.source !== window.top) return;
    const token = tokenFromRefreshMessage(event.data);
    const current = this.state.get();
    if (!token || current.status !== 'active' || token === this.token) return;
    const claims = decodeToken(token);
    if (!claims || !sameSubject(current.claims, claims)) return;
    this.token = token;
    this.receivedAt = Date.now();
    saveToken(this.storage, token, this.receivedAt);
    this.state.set({ status: 'active', claims });
    this.scheduleRefresh(claims);
  }
}

/**
 * Takes `auth_token` out of the address bar (keeping the view in the hash) so it does not linger
 * in history, bookmarks or screenshots.
 */
export function takeTokenFromUrl(): string | null {
  const url = new URL(window.location.href);
  const token = url.searchParams.get('auth_token');
  if (url.searchParams.has('auth_token')) {
    url.searchParams.delete('auth_token');
    window.history.replaceState(window.history.state, '', url.pathname + url.search + url.hash);
  }
  return token && token.trim() ? token.trim() : null;
}
