import { urlWithQuery } from './build-request.js';
import type { BuiltRequest } from './types.js';

/**
 * A copy-paste curl command for a built request. The token is never written into it: the command reads
 * `$CLOCKIFY_ADDON_TOKEN` from the shell, and any credential header that slipped into the request is dropped.
 */
const CREDENTIAL_HEADERS = new Set(['x-addon-token', 'x-api-key', 'x-marketplace-token', 'authorization', 'cookie']);

export function curlSnippet(request: BuiltRequest): string {
  const lines = [`curl -X ${request.method} ${shellQuote(urlWithQuery(request))}`];
  for (const [name, value] of Object.entries(request.headers)) {
    if (CREDENTIAL_HEADERS.has(name.toLowerCase())) continue;
    lines.push(`-H ${shellQuote(`${name}: ${value}`)}`);
  }
  lines.push('-H "X-Addon-Token: $CLOCKIFY_ADDON_TOKEN"');
  if (request.body instanceof FormData) {
    for (const [name, value] of request.body.entries()) {
      lines.push(
        typeof value === 'string' ? `-F ${shellQuote(`${name}=${value}`)}` : `-F ${shellQuote(`${name}=@${value.name || 'file'}`)}`,
      );
    }
  } else if (request.body !== undefined) {
    const data = typeof request.body === 'string' ? request.body : JSON.stringify(request.body, null, 2);
    lines.push(`--data-raw ${shellQuote(data)}`);
  }
  return lines.join(' \\\n  ');
}

/** POSIX single quoting: nothing inside is expanded by the shell. */
function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
