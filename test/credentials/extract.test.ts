/** The pure parts of credentials: finding literal secrets in a flow, and masking values and URLs. */
import { describe, expect, it } from 'vitest';
import { extractSecrets, suggestName } from '../../src/flows/credential-extraction.js';
import { maskSecrets, redactUrl, secretForms } from '../../src/credentials/redact.js';
import { applyCredential, credentialNamesOf } from '../../src/flows/credential-resolution.js';
import type { FlowDefinition, HttpAction } from '../../src/flows/model.js';

const flow = (actions: FlowDefinition['actions']): FlowDefinition => ({
  name: 'Sync CRM',
  enabled: true,
  trigger: { kind: 'clockify', events: ['NEW_CLIENT'] },
  conditions: { mode: 'all', rules: [] },
  actions,
});
const http = (overrides: Partial<HttpAction>): HttpAction => ({
  id: 'push',
  kind: 'http',
  method: 'POST',
  url: 'https://crm.example.com/api',
  ...overrides,
});

describe('extractSecrets', () => {
  it('takes literal secrets from secret-named headers and query parameters, and leaves the rest', () => {
    const definition = flow([
      http({
        url: 'https://crm.example.com/api?api_key=abc%2Fdef123&page=2&token={{ event.id }}',
        headers: {
          Authorization: 'Bearer sk_live_123456',
          'X-API-Key': 'k-987654321',
          Accept: 'application/json',
          'X-Token': '{{ event.token }}',
          Cookie: 'short',
        },
      }),
      { id: 'c', kind: 'clockify', operationId: 'getClients' },
    ]);
    const names = (suggestion: string) => suggestion;
    const { definition: result, extracted } = extractSecrets(definition, names);
    expect(extracted.map(({ name, kind, fieldName, value, field }) => ({ name, kind, fieldName, value, field }))).toEqual([
      {
        name: 'sync_crm_push_authorization',
        kind: 'bearer',
        fieldName: null,
        value: 'sk_live_123456',
        field: 'actions[0].headers.Authorization',
      },
      {
        name: 'sync_crm_push_x_api_key',
        kind: 'header',
        fieldName: 'X-API-Key',
        value: 'k-987654321',
        field: 'actions[0].headers.X-API-Key',
      },
      {
        name: 'sync_crm_push_api_key',
        kind: 'query',
        fieldName: 'api_key',
        value: 'abc/def123',
        field: 'actions[0].url (query parameter api_key)',
      },
    ]);
    const action = result.actions[0] as HttpAction;
    expect(action.headers).toEqual({
      Authorization: 'Bearer {{ credentials.sync_crm_push_authorization }}',
      'X-API-Key': '{{ credentials.sync_crm_push_x_api_key }}',
      Accept: 'application/json',
      'X-Token': '{{ event.token }}',
      Cookie: 'short',
    });
    expect(action.url).toBe(
      'https://crm.example.com/api?api_key={{ credentials.sync_crm_push_api_key | urlencode }}&page=2&token={{ event.id }}',
    );
    expect(result.actions[1]).toBe(definition.actions[1]);
    expect(credentialNamesOf(action).sort()).toEqual(['sync_crm_push_api_key', 'sync_crm_push_authorization', 'sync_crm_push_x_api_key']);
  });

  it('returns the same definition when there is nothing to take, and names start with a letter', () => {
    const definition = flow([http({ headers: { 'content-type': 'application/json' } })]);
    expect(extractSecrets(definition, (s) => s).definition).toBe(definition);
    expect(suggestName('42 things', 'a', 'Authorization')).toBe('c_42_things_a_authorization');
  });
});

describe('redaction', () => {
  it('masks secret-named query parameters and userinfo passwords in URLs, and nothing else', () => {
    expect(redactUrl('https://u:p4ss@api.example.com/x?api_key=abc&page=2&Access-Token=t&sig=s#frag')).toBe(
      'https://u:[REDACTED]@api.example.com/x?api_key=[REDACTED]&page=2&Access-Token=[REDACTED]&sig=[REDACTED]#frag',
    );
    expect(redactUrl('https://api.example.com/x?q=token')).toBe('https://api.example.com/x?q=token');
  });

  it('masks every form of a value anywhere in a document', () => {
    const value = 'se cret/+&=';
    const forms = secretForms([value]);
    const masked = maskSecrets(
      {
        url: `https://x/?k=${encodeURIComponent(value)}`,
        nested: [{ echo: `got ${value}` }],
        form: new URLSearchParams({ k: value }).toString(),
      },
      forms,
    );
    expect(JSON.stringify(masked)).not.toMatch(/se.?cret/);
    expect(masked.nested[0]!.echo).toBe('got [REDACTED]');
  });

  it('applies a credential by its kind', () => {
    const prepared = { ok: true as const, method: 'GET' as const, url: 'https://api.example.com/x?a=1', headers: {}, missing: [] };
    expect(applyCredential(prepared, { name: 'q', kind: 'query', fieldName: 'api_key', secret: { value: 'v w' } }).url).toBe(
      'https://api.example.com/x?a=1&api_key=v+w',
    );
    expect(
      applyCredential(prepared, { name: 'b', kind: 'basic', fieldName: null, secret: { username: 'u', password: 'p' } }).headers,
    ).toEqual({ authorization: `Basic ${Buffer.from('u:p').toString('base64')}` });
    expect(applyCredential(prepared, { name: 'h', kind: 'header', fieldName: 'X-Key', secret: { value: 'v' } }).headers).toEqual({
      'x-key': 'v',
    });
  });
});
