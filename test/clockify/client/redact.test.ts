import { describe, expect, it } from 'vitest';
import { excerpt, redactUrl, redactValue } from '../../../src/clockify/client/index.js';

describe('redaction', () => {
  it('replaces values under secret-looking keys at any depth', () => {
    expect(
      redactValue({
        id: 1,
        token: 'a',
        authToken: 'b',
        list: [{ clientSecret: 'c', password: 'd', api_key: 'e', apiKey: 'f' }],
        name: 'kept',
      }),
    ).toEqual({
      id: 1,
      token: '[REDACTED]',
      authToken: '[REDACTED]',
      list: [{ clientSecret: '[REDACTED]', password: '[REDACTED]', api_key: '[REDACTED]', apiKey: '[REDACTED]' }],
      name: 'kept',
    });
  });

  it('redacts JSON that arrives as text and scrubs known secrets from plain text', () => {
    expect(excerpt('{"token":"abc"}')).toBe('{"token":"[REDACTED]"}');
    expect(excerpt('bad token s3cr3t-value', 2048, ['s3cr3t-value'])).toBe('bad token [REDACTED]');
  });

  it('cuts long excerpts at the byte limit', () => {
    const text = excerpt('é'.repeat(5000), 100);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(100);
    expect(text.endsWith('…[truncated]')).toBe(true);
  });

  it('redacts secret query values and credentials in URLs', () => {
    const url = redactUrl('https://user:pw@host.test/a?token=t1&page=2&api-key=k');
    expect(url).not.toContain('t1');
    expect(url).not.toContain('pw');
    expect(url).toContain('page=2');
  });
});
