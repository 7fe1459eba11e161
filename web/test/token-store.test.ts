import { describe, expect, it } from 'vitest';
import { expiresAtMs, forgetToken, restoreToken, saveToken } from '../src/session/token-store';

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const jwt = (claims: Record<string, unknown>) => `${encode({ alg: 'RS256' })}.${encode(claims)}.c2ln`;

class MemoryStorage implements Storage {
  private readonly map = new Map<string, string>();
  get length() {
    return this.map.size;
  }
  clear() {
    this.map.clear();
  }
  getItem(key: string) {
    return this.map.get(key) ?? null;
  }
  key(index: number) {
    return [...this.map.keys()][index] ?? null;
  }
  removeItem(key: string) {
    this.map.delete(key);
  }
  setItem(key: string, value: string) {
    this.map.set(key, value);
  }
}

describe('the tab-scoped session token', () => {
  const token = jwt({ iat: 1000, exp: 1000 + 1800, workspaceId: 'w' });

  it('counts the lifetime from when the token arrived, not from the browser clock reading exp', () => {
    expect(expiresAtMs(token, 5_000_000)).toBe(5_000_000 + 1_800_000);
  });

  it('restores a live token after a reload and forgets an expired one', () => {
    const storage = new MemoryStorage();
    saveToken(storage, token, 10_000);
    expect(restoreToken(storage, 10_000 + 60_000)).toEqual({ status: 'ok', token, receivedAt: 10_000 });
    expect(restoreToken(storage, 10_000 + 1_800_000)).toEqual({ status: 'expired' });
    expect(restoreToken(storage, 10_000)).toEqual({ status: 'none' });
  });

  it('treats garbage and a forgotten token as none', () => {
    const storage = new MemoryStorage();
    storage.setItem('clockify-addon-session', '{not json');
    expect(restoreToken(storage, 0)).toEqual({ status: 'none' });
    saveToken(storage, token, 1);
    forgetToken(storage);
    expect(restoreToken(storage, 2)).toEqual({ status: 'none' });
    expect(restoreToken(undefined, 2)).toEqual({ status: 'none' });
  });
});
