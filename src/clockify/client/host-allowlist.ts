/**
 * Which hosts the client may send a token to.
 *
 * Clockify's own hosts are always allowed, over HTTPS only: `clockify.me` and every `*.clockify.me`
 * (api, reports.api, auditlog-api.api, developer, the regional euc1/use2/euw2/apse2 hosts, subdomain
 * workspaces). Extra entries come from configuration (the local stand-in, a proxy):
 * `host` (any port), `host:port`, or `*.domain` (any subdomain, any port); any scheme.
 */
export type HostAllowlist = (url: URL) => { allowed: true } | { allowed: false; reason: string };

export function createHostAllowlist(extraHosts: readonly string[]): HostAllowlist {
  const entries = extraHosts.map((entry) => entry.trim().toLowerCase()).filter((entry) => entry.length > 0);
  return (url) => {
    const hostname = url.hostname.toLowerCase();
    const port = url.port || (url.protocol === 'https:' ? '443' : url.protocol === 'http:' ? '80' : '');
    if (entries.some((entry) => matchesEntry(entry, hostname, port))) return { allowed: true };
    if (isClockifyHost(hostname)) {
      return url.protocol === 'https:' ? { allowed: true } : { allowed: false, reason: 'is a Clockify host but the URL is not https' };
    }
    return { allowed: false, reason: 'is not in the allowlist' };
  };
}

export function isClockifyHost(hostname: string): boolean {
  return hostname === 'clockify.me' || hostname.endsWith('.clockify.me');
}

function matchesEntry(entry: string, hostname: string, port: string): boolean {
  const { host, port: entryPort } = splitEntry(entry);
  if (entryPort !== undefined && entryPort !== port) return false;
  if (host.startsWith('*.')) return hostname.endsWith(host.slice(1));
  return host === hostname;
}

/** `example.com`, `example.com:8080`, `[::1]:8080`, `127.0.0.1:3000`. */
function splitEntry(entry: string): { host: string; port?: string } {
  const bracketed = /^(\[[^\]]+\])(?::(\d+))?$/.exec(entry);
  if (bracketed) return { host: bracketed[1]!, ...(bracketed[2] ? { port: bracketed[2] } : {}) };
  const match = /^([^:]+):(\d+)$/.exec(entry);
  if (match) return { host: match[1]!, port: match[2]! };
  return { host: entry };
}
