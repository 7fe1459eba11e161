/**
 * Pure: which credentials an HTTP action uses, what `{{ credentials.<name> }}` renders to, and how the
 * action's `credential` field puts one into the request.
 */
import { REDACTED } from '../observability/redact.js';
import type { HttpAction } from './model.js';
import type { PreparedHttpCall } from './steps/http/call.js';
import { parseTemplate, templateStrings } from './templates.js';
import type { ResolvedCredential } from '../credentials/model.js';

/** Credential names an action refers to: its `credential` field and templates in its URL and headers. */
export function credentialNamesOf(action: HttpAction): string[] {
  const names = new Set<string>();
  if (action.credential) names.add(action.credential);
  for (const { text } of [...templateStrings(action.url, 'url'), ...templateStrings(action.headers ?? {}, 'headers')]) {
    const parsed = parseTemplate(text);
    if (!parsed.ok) continue;
    for (const part of parsed.template.parts) {
      if (typeof part !== 'string' && part.root === 'credentials' && typeof part.path[0] === 'string') names.add(part.path[0]);
    }
  }
  return [...names];
}

function basicToken(username: string, password: string): string {
  return Buffer.from(`${username}:${password}`).toString('base64');
}

/** What `{{ credentials.<name> }}` renders to: the value; for basic auth, the base64 `user:password` of an Authorization: Basic header. */
export function templateValue(credential: ResolvedCredential): string {
  const { secret } = credential;
  return 'value' in secret ? secret.value : basicToken(secret.username, secret.password);
}

/** The strings that must never be recorded once this credential was used. */
export function secretValues(credential: ResolvedCredential): string[] {
  const { secret } = credential;
  return 'value' in secret
    ? [secret.value]
    : [secret.password, basicToken(secret.username, secret.password), `${secret.username}:${secret.password}`];
}

/** A stand-in with the credential's kind and field but no value, for dry runs. */
export function placeholder(credential: Pick<ResolvedCredential, 'name' | 'kind' | 'fieldName'>): ResolvedCredential {
  return { ...credential, secret: { value: REDACTED } };
}

/** Puts the action's credential into a prepared request (header, Authorization or query parameter). */
export function applyCredential(
  prepared: Extract<PreparedHttpCall, { ok: true }>,
  credential: ResolvedCredential,
): Extract<PreparedHttpCall, { ok: true }> {
  const headers = { ...prepared.headers };
  const value = templateValue(credential);
  switch (credential.kind) {
    case 'header':
      headers[(credential.fieldName ?? 'authorization').toLowerCase()] = value;
      return { ...prepared, headers };
    case 'bearer':
      headers.authorization = `Bearer ${value}`;
      return { ...prepared, headers };
    case 'basic':
      headers.authorization = `Basic ${value}`;
      return { ...prepared, headers };
    case 'query': {
      const url = new URL(prepared.url);
      url.searchParams.set(credential.fieldName ?? 'api_key', value);
      return { ...prepared, url: url.toString() };
    }
  }
}
