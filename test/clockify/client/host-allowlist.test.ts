import { describe, expect, it } from 'vitest';
import { createHostAllowlist } from '../../../src/clockify/client/index.js';

const allowed = (list: string[], url: string) => createHostAllowlist(list)(new URL(url)).allowed;

describe('host allowlist', () => {
  it('always allows Clockify hosts over https', () => {
    for (const url of [
      'https://api.clockify.me/api/v1/user',
      'https://reports.api.clockify.me/v1/workspaces/w/reports/detailed',
      'https://auditlog-api.api.clockify.me/v1/workspaces/w/audit-log',
      'https://developer.clockify.me/api/v1/user',
      'https://euc1.clockify.me/api/v1/user',
      'https://apse2.clockify.me/report/v1/x',
      'https://clockify.me/',
    ]) {
      expect(allowed([], url), url).toBe(true);
    }
    expect(allowed([], 'http://api.clockify.me/api')).toBe(false);
  });

  it('refuses look-alike hosts', () => {
    expect(allowed([], 'https://api.clockify.me.evil.example/api')).toBe(false);
    expect(allowed([], 'https://evilclockify.me/api')).toBe(false);
    expect(allowed([], 'https://127.0.0.1/api')).toBe(false);
  });

  it('allows configured hosts, with or without port, and wildcard subdomains', () => {
    expect(allowed(['127.0.0.1:8080'], 'http://127.0.0.1:8080/api')).toBe(true);
    expect(allowed(['127.0.0.1:8080'], 'http://127.0.0.1:8081/api')).toBe(false);
    expect(allowed(['sandbox.local'], 'http://sandbox.local:3000/api')).toBe(true);
    expect(allowed(['proxy.example.com:443'], 'https://proxy.example.com/api')).toBe(true);
    expect(allowed(['*.example.com'], 'https://a.b.example.com/api')).toBe(true);
    expect(allowed(['*.example.com'], 'https://example.com.evil/api')).toBe(false);
    expect(allowed(['[::1]:9000'], 'http://[::1]:9000/api')).toBe(true);
  });
});
