import { describe, expect, it } from 'vitest';
import { decodeToken, isAdminRole, refreshDelayMs, sameSubject, themeOf } from '../src/session/claims';
import { REFRESH_REQUEST, tokenFromRefreshMessage } from '../src/session/refresh-message';

const encode = (value: unknown) =>
  btoa(String.fromCharCode(...new TextEncoder().encode(JSON.stringify(value))))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
const jwt = (claims: Record<string, unknown>) => `${encode({ alg: 'RS256', typ: 'JWT' })}.${encode(claims)}.c2lnbmF0dXJl`;

describe('reading the user token', () => {
  it('decodes the claims the sidebar displays, including non-ASCII text', () => {
    const claims = decodeToken(
      jwt({ workspaceId: 'w1', user: 'u1', workspaceRole: 'OWNER', theme: 'DARK', language: 'DE', exp: 2000, iat: 200, note: 'Zürich' }),
    );
    expect(claims).toMatchObject({
      workspaceId: 'w1',
      user: 'u1',
      workspaceRole: 'OWNER',
      theme: 'DARK',
      language: 'DE',
      exp: 2000,
      iat: 200,
    });
  });

  it('gives null for anything that is not a JWT with a JSON object payload', () => {
    for (const token of ['', 'abc', 'a.b', `${encode({})}.${encode([1, 2])}.x`, `${encode({})}.bm90IGpzb24.x`, 'a b.c.d']) {
      expect(decodeToken(token), token).toBeNull();
    }
  });

  it('maps the theme claim: DARK is dark, DEFAULT and missing are light', () => {
    expect(themeOf({ theme: 'DARK' })).toBe('dark');
    expect(themeOf({ theme: 'dark' })).toBe('dark');
    expect(themeOf({ theme: 'DEFAULT' })).toBe('light');
    expect(themeOf(null)).toBe('light');
  });

  it('treats owners and admins as admins, nobody else', () => {
    expect(['OWNER', 'ADMIN'].every(isAdminRole)).toBe(true);
    expect(['TEAM_MANAGER', 'PROJECT_MANAGER', 'REGULAR', undefined].some((role) => isAdminRole(role))).toBe(false);
  });
});

describe('when to ask for a new token', () => {
  it('asks five minutes before a 30-minute token runs out, measured from its arrival', () => {
    const receivedAt = 1_000_000;
    // The browser clock is an hour off: only the token's lifetime counts.
    expect(refreshDelayMs({ iat: 5_000, exp: 5_000 + 1800 }, receivedAt, receivedAt)).toBe(25 * 60 * 1000);
    expect(refreshDelayMs({ iat: 5_000, exp: 5_000 + 1800 }, receivedAt, receivedAt + 60_000)).toBe(24 * 60 * 1000);
  });

  it('asks at half-life for short tokens and at once for expired ones', () => {
    expect(refreshDelayMs({ iat: 0, exp: 60 }, 0, 0)).toBe(30_000);
    expect(refreshDelayMs({ iat: 0, exp: -120 }, 0, 0)).toBe(0);
  });

  it('never schedules a refresh for a token without expiry', () => {
    expect(refreshDelayMs({}, 0, 0)).toBeNull();
  });

  it('only accepts a new token for the same user and workspace', () => {
    expect(sameSubject({ workspaceId: 'w', user: 'u' }, { workspaceId: 'w', user: 'u', exp: 9 })).toBe(true);
    expect(sameSubject({ workspaceId: 'w', user: 'u' }, { workspaceId: 'w', user: 'other' })).toBe(false);
    expect(sameSubject({ workspaceId: 'w', user: 'u' }, { workspaceId: 'x', user: 'u' })).toBe(false);
  });
});

describe("Clockify's reply to refreshAddonToken", () => {
  const token = jwt({ workspaceId: 'w', user: 'u' });

  it('sends the documented request', () => {
    expect(JSON.parse(REFRESH_REQUEST)).toEqual({ action: 'refreshAddonToken' });
  });

  it('accepts the reply as an object, as JSON text, or as a bare token', () => {
    expect(tokenFromRefreshMessage({ title: 'refreshAddonToken', body: token })).toBe(token);
    expect(tokenFromRefreshMessage(JSON.stringify({ title: 'refreshAddonToken', body: token }))).toBe(token);
    expect(tokenFromRefreshMessage(token)).toBe(token);
    expect(tokenFromRefreshMessage({ title: 'refreshAddonToken', body: { token } })).toBe(token);
  });

  it("ignores Clockify's other window events and anything malformed", () => {
    for (const message of [
      { title: 'URL_CHANGED', body: '/tracker' },
      { title: 'refreshAddonToken', body: 'not a token' },
      '{broken',
      'hello',
      42,
      null,
      { title: 'TIME_ENTRY_STARTED', body: token },
    ]) {
      expect(tokenFromRefreshMessage(message)).toBeNull();
    }
  });
});
