import { applyCredential, credentialNamesOf, placeholder, secretValues, templateValue } from '../../credential-resolution.js';
import type { ResolvedCredential } from '../../../credentials/model.js';
import { maskSecrets, redactUrl, secretForms } from '../../../credentials/redact.js';
import { checkUrlSyntax } from '../../../net/ssrf.js';
import type { HttpAction } from '../../model.js';
import { joinField, type TemplateContext } from '../../templates.js';
import { actionStepOutcome } from '../action-outcome.js';
import type { StepKindDefinition } from '../types.js';
import { prepareHttpCall } from './call.js';
import { sendHttpCall } from './call.js';
import { httpStepSchema } from './schema.js';

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const FORBIDDEN_HEADERS = new Set([
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'upgrade',
  'te',
  'trailer',
  'expect',
]);

/** A request to an outside endpoint, when the workspace enabled HTTP actions; credentials are never recorded. */
export const httpStep: StepKindDefinition<HttpAction> = {
  kind: 'http',
  schema: httpStepSchema,
  credentialPlaces: ['url', 'headers'],
  needs: 'httpActions',
  templates: (step) => [
    ['body', step.body],
    ['url', step.url],
    ['headers', step.headers],
  ],
  idempotent: (step) => step.method === 'GET' || step.method === 'PUT' || step.method === 'DELETE',
  // Even a GET reaches another system with the workspace's credentials: always sent on purpose.
  writes: () => true,
  validate(step, field, ctx, problems) {
    if (!ctx.httpActionsEnabled) problems.add(`${field}.kind`, 'HTTP actions are not enabled in this add-on');
    if (typeof step.credential === 'string' && ctx.credentialNames && !ctx.credentialNames.has(step.credential))
      problems.add(`${field}.credential`, `unknown credential "${step.credential}"`);
    const url = step.url;
    if (!url.includes('{{')) {
      const check = checkUrlSyntax(url);
      if (!check.ok) problems.add(`${field}.url`, check.reason);
    } else if (!/^https?:\/\/[^{]/i.test(url)) {
      problems.add(`${field}.url`, 'must start with http:// or https:// and a host before any template');
    }
    for (const [name, value] of Object.entries(step.headers ?? {})) {
      const headerField = joinField(`${field}.headers`, name);
      if (!HEADER_NAME.test(name)) problems.add(headerField, 'is not a valid header name');
      else if (FORBIDDEN_HEADERS.has(name.toLowerCase()) || name.toLowerCase().startsWith('proxy-')) {
        problems.add(headerField, 'is set by the platform and cannot be chosen');
      } else if (/[\r\n\0]/.test(value)) problems.add(headerField, 'must not contain line breaks');
    }
    if (step.method === 'GET' && step.body !== undefined) problems.add(`${field}.body`, 'a GET request cannot have a body');
  },
  async execute(step, env) {
    if (!env.httpAllowed)
      return {
        status: 'failed',
        result: { status: 'refused' },
        request: null,
        error: 'HTTP actions are not enabled for this workspace',
        retryable: false,
      };
    const names = credentialNamesOf(step);
    const resolved = await env.credentials.resolve(env.workspaceId, names);
    // Whatever the request, its answer or an error says, the credentials' values are not recorded.
    const secrets = secretForms([...resolved.values()].flatMap(secretValues));
    const prepared = prepareWithCredentials(step, env.context, resolved, names);
    if (!prepared.ok)
      return {
        status: 'failed',
        result: { status: 'invalid' },
        request: null,
        error: maskSecrets(prepared.error, secrets),
        retryable: false,
      };
    return actionStepOutcome(maskSecrets(await sendHttpCall(prepared, env.dispatcher(), env.runtime.redactor, env.signal), secrets));
  },
  async dryRun(step, env) {
    // A dry run never opens a credential: each one renders as a placeholder in its place.
    const names = credentialNamesOf(step);
    const known = await env.credentials.describe(env.workspaceId, names);
    const stand = new Map([...known].map(([name, credential]) => [name, placeholder(credential)]));
    const prepared = prepareWithCredentials(step, env.context, stand, names);
    const result = { status: 'dry-run', body: null };
    if (!prepared.ok) return { request: null, missing: prepared.missing, error: prepared.error, result };
    return {
      request: env.runtime.redactor.redact({
        method: prepared.method,
        url: redactUrl(prepared.url),
        headers: prepared.headers,
        body: prepared.body,
      }),
      missing: prepared.missing,
      result,
    };
  },
};

/** Renders an HTTP step with its credentials: their values in `{{ credentials.x }}`, and the `credential` field applied. */
function prepareWithCredentials(
  step: HttpAction,
  context: TemplateContext,
  credentials: Map<string, ResolvedCredential>,
  names: string[],
): ReturnType<typeof prepareHttpCall> {
  const absent = names.filter((name) => !credentials.has(name));
  if (absent.length > 0)
    return {
      ok: false,
      error: `unknown credential ${absent.map((name) => `"${name}"`).join(', ')} (create it in the Credentials section)`,
      missing: [],
    };
  const prepared = prepareHttpCall(step, {
    ...context,
    credentials: Object.fromEntries([...credentials].map(([name, credential]) => [name, templateValue(credential)])),
  });
  if (!prepared.ok || !step.credential) return prepared;
  return applyCredential(prepared, credentials.get(step.credential)!);
}
