import type { OperationParameter } from '../api/types';

/**
 * Copy-paste samples of a call as the form stands: curl and JavaScript fetch. The token is never
 * written in: both read it from the environment, as the server's own curl snippet does.
 */
export interface SampleCall {
  method: string;
  serverUrl: string;
  path: string;
  parameters: OperationParameter[];
  params: Record<string, unknown>;
  body?: unknown;
}

export function sampleUrl(call: SampleCall): string {
  const path = call.path.replace(/\{([^}]+)\}/g, (_match, name: string) => {
    const value = call.params[name];
    return value === undefined || value === '' ? `{${name}}` : encodeURIComponent(String(value));
  });
  const query = new URLSearchParams();
  for (const param of call.parameters) {
    const value = call.params[param.name];
    if (param.in !== 'query' || value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) query.append(param.name, String(item));
  }
  const text = query.toString();
  return `${call.serverUrl.replace(/\/+$/, '')}${path}${text ? `?${text}` : ''}`;
}

const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

export function curlSample(call: SampleCall): string {
  const lines = [
    `curl -X ${call.method} ${quote(sampleUrl(call))}`,
    `-H 'accept: application/json'`,
    '-H "X-Addon-Token: $CLOCKIFY_ADDON_TOKEN"',
  ];
  if (call.body !== undefined) lines.push(`-H 'content-type: application/json'`, `--data-raw ${quote(JSON.stringify(call.body, null, 2))}`);
  return lines.join(' \\\n  ');
}

export function fetchSample(call: SampleCall): string {
  const headers = [`    accept: 'application/json',`, `    'X-Addon-Token': process.env.CLOCKIFY_ADDON_TOKEN,`];
  if (call.body !== undefined) headers.push(`    'content-type': 'application/json',`);
  const lines = [
    `const response = await fetch(${JSON.stringify(sampleUrl(call))}, {`,
    `  method: '${call.method}',`,
    '  headers: {',
    ...headers,
    '  },',
  ];
  if (call.body !== undefined) lines.push(`  body: JSON.stringify(${JSON.stringify(call.body, null, 2).replace(/\n/g, '\n  ')}),`);
  lines.push('});', 'console.log(response.status, await response.json());');
  return lines.join('\n');
}
