/**
 * Pure: finds secrets written literally into HTTP actions (an Authorization header, an X-API-Key, a
 * `?api_key=` in the URL) and replaces each with a reference to a credential holding it. Used on
 * every save and, once, at start-up for flows stored before credentials existed.
 */
import type { FlowDefinition, HttpAction } from './model.js';
import { stepKind } from './steps/registry.js';
import { mapSteps } from './steps/walk.js';
import type { CredentialKind } from '../credentials/model.js';
import { isSecretParamName } from '../credentials/redact.js';

/** Header names that carry secrets by convention. */
const SECRET_HEADER = /(authorization|api[-_]?key|apikey|token|secret|password|passwd|cookie|session|signature|credential)/i;
/** Shorter literal values are not taken for secrets (`Authorization: none`, say). */
const MIN_SECRET_LENGTH = 6;

export interface ExtractedSecret {
  name: string;
  kind: Exclude<CredentialKind, 'basic'>;
  fieldName: string | null;
  value: string;
  /** Where it was, e.g. `actions[0].headers.Authorization` (no value). */
  field: string;
}

/**
 * The definition with literal secrets replaced by `{{ credentials.<name> }}`, and what was taken.
 * `nameFor` picks a free credential name from a suggestion (and may return the name of a credential
 * already made for the same value).
 */
export function extractSecrets(
  definition: FlowDefinition,
  nameFor: (suggestion: string, value: string) => string,
): { definition: FlowDefinition; extracted: ExtractedSecret[] } {
  const extracted: ExtractedSecret[] = [];
  const actions = mapSteps(definition.actions, (step, field) => {
    // Stored definitions were valid when saved; anything else (an older shape) is left as it is.
    if (!stepKind(step.kind)?.credentialPlaces || typeof (step as HttpAction).url !== 'string') return step;
    const action = step as HttpAction;
    let changed: HttpAction = action;
    const headers: Record<string, string> = { ...(action.headers ?? {}) };
    for (const [header, value] of Object.entries(headers)) {
      if (typeof value !== 'string' || !SECRET_HEADER.test(header) || value.includes('{{')) continue;
      const bearer = /^bearer\s+(\S.*)$/i.exec(value.trim());
      const secret = bearer ? bearer[1]!.trim() : value.trim();
      if (secret.length < MIN_SECRET_LENGTH) continue;
      const name = nameFor(suggestName(definition.name, action.id, header), secret);
      if (bearer) {
        extracted.push({ name, kind: 'bearer', fieldName: null, value: secret, field: `${field}.headers.${header}` });
        headers[header] = `Bearer {{ credentials.${name} }}`;
      } else {
        extracted.push({ name, kind: 'header', fieldName: header, value: secret, field: `${field}.headers.${header}` });
        headers[header] = `{{ credentials.${name} }}`;
      }
      changed = { ...changed, headers };
    }
    const url = changed.url.replace(/([?&])([^=&#{}]+)=([^&#]*)/g, (whole, separator: string, param: string, raw: string) => {
      if (!isSecretParamName(decode(param)) || raw.includes('{{') || raw.length === 0) return whole;
      const value = decode(raw);
      if (value.length < MIN_SECRET_LENGTH) return whole;
      const name = nameFor(suggestName(definition.name, action.id, param), value);
      extracted.push({ name, kind: 'query', fieldName: decode(param), value, field: `${field}.url (query parameter ${decode(param)})` });
      return `${separator}${param}={{ credentials.${name} | urlencode }}`;
    });
    if (url !== changed.url) changed = { ...changed, url };
    return changed;
  });
  return extracted.length === 0 ? { definition, extracted } : { definition: { ...definition, actions }, extracted };
}

/** `<flow>_<action>_<field>` as a template identifier, at most 60 characters. */
export function suggestName(flowName: string, actionId: string, field: string): string {
  const slug = (text: string) =>
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '');
  const joined = [slug(flowName).slice(0, 20), slug(actionId).slice(0, 20), slug(field).slice(0, 16)].filter(Boolean).join('_');
  return /^[a-z]/.test(joined) ? joined.slice(0, 60) : `c_${joined}`.slice(0, 60);
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}
