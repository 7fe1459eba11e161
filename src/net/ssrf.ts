/**
 * Server-side request forgery guard for requests whose URL a user chose (generic HTTP flow actions,
 * forwarding targets). The decision is taken on the addresses the socket really connects to: the
 * guarded lookup is the only name resolution of a connection, so a DNS answer cannot change between
 * the check and the connect (DNS rebinding).
 */
import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions } from 'node:dns';
import { isIP } from 'node:net';
import { Agent, buildConnector } from 'undici';
import { cidrContains, classifyAddress, parseCidr, parseIp, type Cidr } from './ip.js';

/** Re-exported so callers need one import for the whole guard. */
export { isBlockedAddress } from './ip.js';

export class BlockedDestinationError extends Error {
  readonly code = 'BLOCKED_DESTINATION';
  /** The resolved address that was refused; kept out of the message so it does not map internal DNS. */
  readonly address: string | undefined;

  constructor(
    readonly host: string,
    readonly reason: string,
    address?: string,
  ) {
    super(`Destination ${host} is blocked: ${reason}`);
    this.name = 'BlockedDestinationError';
    this.address = address;
  }
}

export type UrlCheck = { ok: true; url: URL } | { ok: false; reason: string };

const MAX_URL_LENGTH = 2048;

/** Syntax rules for a user-given destination URL; says nothing about where the host resolves. */
export function checkUrlSyntax(url: string): UrlCheck {
  if (typeof url !== 'string' || url.length === 0) return { ok: false, reason: 'URL is empty' };
  if (url.length > MAX_URL_LENGTH) return { ok: false, reason: `URL is longer than ${MAX_URL_LENGTH} characters` };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, reason: 'not a valid absolute URL' };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return { ok: false, reason: 'only http and https URLs are allowed' };
  }
  if (parsed.username !== '' || parsed.password !== '') {
    return { ok: false, reason: 'credentials in the URL are not allowed; use a header instead' };
  }
  if (parsed.hostname === '') return { ok: false, reason: 'URL has no host' };
  return { ok: true, url: parsed };
}

export type LookupFunction = (
  hostname: string,
  options: LookupAllOptions,
  callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

export interface GuardOptions {
  /** Host names (exact, case-insensitive) or addresses/CIDRs that may be reached even if blocked. */
  allowlist?: string[];
  /** Name resolution to use instead of the system resolver (tests). Called with `{ all: true }`. */
  lookup?: LookupFunction;
  /** Passed to undici's connector (e.g. `timeout`); `lookup` is always the guarded one. */
  connect?: Omit<buildConnector.BuildOptions, 'lookup'>;
}

interface Allowlist {
  hosts: Set<string>;
  ranges: Cidr[];
}

function parseAllowlist(entries: readonly string[]): Allowlist {
  const hosts = new Set<string>();
  const ranges: Cidr[] = [];
  for (const raw of entries) {
    const entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    const range = parseCidr(entry.startsWith('[') ? entry.replace(/^\[|\]$/g, '') : entry);
    if (range) ranges.push(range);
    else if (entry.includes('/')) throw new Error(`Invalid CIDR in SSRF allowlist: ${raw}`);
    else hosts.add(entry.replace(/\.$/, ''));
  }
  return { hosts, ranges };
}

function normaliseHost(host: string): string {
  return host
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '');
}

/** The reason `address` may not be reached from `host`, or undefined when it may. */
function refusal(address: string, allowlist: Allowlist): string | undefined {
  const parsed = parseIp(address);
  if (!parsed) return 'it resolves to something that is not an IP address';
  if (allowlist.ranges.some((range) => cidrContains(range, parsed))) return undefined;
  const verdict = classifyAddress(parsed);
  return verdict.blocked ? `it resolves to a ${verdict.reason}` : undefined;
}

type NetLookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for `net.connect`: resolves every address of the host, refuses the connection when any
 * of them is blocked (an attacker-controlled name may mix public and internal answers), and hands
 * the checked addresses to the socket.
 */
export function createGuardedLookup(options: GuardOptions = {}) {
  const allowlist = parseAllowlist(options.allowlist ?? []);
  const resolve: LookupFunction = options.lookup ?? ((host, opts, cb) => dnsLookup(host, opts, cb));
  return function guardedLookup(hostname: string, lookupOptions: { all?: boolean; family?: number }, callback: NetLookupCallback) {
    const host = normaliseHost(hostname);
    resolve(host, { all: true, family: lookupOptions.family ?? 0 }, (error, addresses) => {
      if (error) return callback(error, []);
      if (!Array.isArray(addresses) || addresses.length === 0) {
        return callback(new BlockedDestinationError(host, 'it does not resolve to any address'), []);
      }
      if (!allowlist.hosts.has(host)) {
        for (const { address } of addresses) {
          const reason = refusal(address, allowlist);
          if (reason) return callback(new BlockedDestinationError(host, reason, address), []);
        }
      }
      if (lookupOptions.all) return callback(null, addresses);
      const first = addresses[0]!;
      return callback(null, first.address, first.family);
    });
  };
}

/**
 * An undici dispatcher that only connects to allowed addresses. Literal IP hosts never reach a
 * lookup in `net.connect`, so they are checked before the connector runs.
 */
export function createGuardedDispatcher(options: GuardOptions = {}): Agent {
  const allowlist = parseAllowlist(options.allowlist ?? []);
  // BuildOptions is a union of net/tls option types, so `lookup` needs the cast to get through.
  const connector = buildConnector({
    ...options.connect,
    lookup: createGuardedLookup(options),
  } as unknown as buildConnector.BuildOptions);
  const guardedConnect: buildConnector.connector = (connectOptions, callback) => {
    const host = normaliseHost(connectOptions.hostname);
    if (isIP(host) !== 0 && !allowlist.hosts.has(host)) {
      const reason = refusal(host, allowlist);
      if (reason) {
        callback(new BlockedDestinationError(host, reason.replace('it resolves to', 'it is'), host), null);
        return;
      }
    }
    connector(connectOptions, callback);
  };
  return new Agent({ connect: guardedConnect });
}
