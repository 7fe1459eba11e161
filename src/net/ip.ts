/**
 * IP address parsing and range classification, free of I/O. Addresses are handled as bigints so IPv4
 * and IPv6 ranges share one matcher; an IPv4 address is kept as a 32-bit value with `version: 4`.
 */
import { isIPv4, isIPv6 } from 'node:net';

export interface ParsedIp {
  version: 4 | 6;
  value: bigint;
}

export interface Cidr {
  version: 4 | 6;
  base: bigint;
  prefix: number;
}

/** Parses a literal IPv4/IPv6 address; accepts `[v6]` brackets and strips an IPv6 zone (`%eth0`). */
export function parseIp(input: string): ParsedIp | undefined {
  let text = input.trim();
  if (text.startsWith('[') && text.endsWith(']')) text = text.slice(1, -1);
  const zone = text.indexOf('%');
  if (zone !== -1) text = text.slice(0, zone);
  if (isIPv4(text)) return { version: 4, value: ipv4ToBigint(text) };
  if (isIPv6(text)) return { version: 6, value: ipv6ToBigint(text) };
  return undefined;
}

function ipv4ToBigint(text: string): bigint {
  let value = 0n;
  for (const part of text.split('.')) value = (value << 8n) | BigInt(Number(part));
  return value;
}

function ipv6ToBigint(text: string): bigint {
  // An embedded dotted IPv4 tail (e.g. ::ffff:127.0.0.1) is turned into two hex groups first.
  let body = text;
  const lastColon = body.lastIndexOf(':');
  const tail = body.slice(lastColon + 1);
  if (tail.includes('.')) {
    const v4 = ipv4ToBigint(tail);
    body = `${body.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head = '', rest] = body.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const restGroups = rest === undefined || rest === '' ? [] : rest.split(':');
  const missing = 8 - headGroups.length - restGroups.length;
  const groups = rest === undefined ? headGroups : [...headGroups, ...Array<string>(missing).fill('0'), ...restGroups];
  let value = 0n;
  for (const group of groups) value = (value << 16n) | BigInt(parseInt(group, 16));
  return value;
}

/** Parses `a.b.c.d/n`, `x::/n` or a bare address (as a /32 or /128). */
export function parseCidr(input: string): Cidr | undefined {
  const slash = input.lastIndexOf('/');
  const addressText = slash === -1 ? input : input.slice(0, slash);
  const ip = parseIp(addressText);
  if (!ip) return undefined;
  const width = ip.version === 4 ? 32 : 128;
  let prefix = width;
  if (slash !== -1) {
    const prefixText = input.slice(slash + 1);
    if (!/^\d{1,3}$/.test(prefixText)) return undefined;
    prefix = Number(prefixText);
    if (prefix > width) return undefined;
  }
  return { version: ip.version, base: ip.value & mask(width, prefix), prefix };
}

function mask(width: number, prefix: number): bigint {
  const all = (1n << BigInt(width)) - 1n;
  return prefix === 0 ? 0n : (all >> BigInt(width - prefix)) << BigInt(width - prefix);
}

export function cidrContains(cidr: Cidr, ip: ParsedIp): boolean {
  if (cidr.version !== ip.version) return false;
  const width = ip.version === 4 ? 32 : 128;
  return (ip.value & mask(width, cidr.prefix)) === cidr.base;
}

function cidr(text: string): Cidr {
  const parsed = parseCidr(text);
  if (!parsed) throw new Error(`bad built-in CIDR ${text}`);
  return parsed;
}

const BLOCKED_V4: readonly { range: Cidr; reason: string }[] = [
  { range: cidr('0.0.0.0/8'), reason: '"this network" address' },
  { range: cidr('10.0.0.0/8'), reason: 'private address' },
  { range: cidr('100.64.0.0/10'), reason: 'carrier-grade NAT address' },
  { range: cidr('127.0.0.0/8'), reason: 'loopback address' },
  { range: cidr('169.254.0.0/16'), reason: 'link-local address' },
  { range: cidr('172.16.0.0/12'), reason: 'private address' },
  { range: cidr('192.0.0.0/24'), reason: 'IETF protocol assignment address' },
  { range: cidr('192.0.2.0/24'), reason: 'documentation address' },
  { range: cidr('192.88.99.0/24'), reason: '6to4 relay address' },
  { range: cidr('192.168.0.0/16'), reason: 'private address' },
  { range: cidr('198.18.0.0/15'), reason: 'benchmarking address' },
  { range: cidr('198.51.100.0/24'), reason: 'documentation address' },
  { range: cidr('203.0.113.0/24'), reason: 'documentation address' },
  { range: cidr('224.0.0.0/4'), reason: 'multicast address' },
  { range: cidr('255.255.255.255/32'), reason: 'broadcast address' },
  { range: cidr('240.0.0.0/4'), reason: 'reserved address' },
];

const BLOCKED_V6: readonly { range: Cidr; reason: string }[] = [
  { range: cidr('::/128'), reason: 'unspecified address' },
  { range: cidr('::1/128'), reason: 'loopback address' },
  { range: cidr('64:ff9b:1::/48'), reason: 'local NAT64 address' },
  { range: cidr('100::/64'), reason: 'discard-only address' },
  { range: cidr('2001::/32'), reason: 'Teredo address' },
  { range: cidr('2001:2::/48'), reason: 'benchmarking address' },
  { range: cidr('2001:db8::/32'), reason: 'documentation address' },
  { range: cidr('3fff::/20'), reason: 'documentation address' },
  { range: cidr('fc00::/7'), reason: 'unique-local address' },
  { range: cidr('fe80::/10'), reason: 'link-local address' },
  { range: cidr('fec0::/10'), reason: 'site-local address' },
  { range: cidr('ff00::/8'), reason: 'multicast address' },
];

/** IPv6 ranges that carry an IPv4 address a packet may end up at; the embedded address decides. */
const EMBEDDING_V6: readonly { range: Cidr; extract: (value: bigint) => bigint }[] = [
  { range: cidr('::ffff:0:0/96'), extract: (v) => v & 0xffffffffn }, // IPv4-mapped
  { range: cidr('::/96'), extract: (v) => v & 0xffffffffn }, // IPv4-compatible (deprecated)
  { range: cidr('64:ff9b::/96'), extract: (v) => v & 0xffffffffn }, // NAT64
  { range: cidr('2002::/16'), extract: (v) => (v >> 80n) & 0xffffffffn }, // 6to4
];

export type AddressClass = { blocked: false } | { blocked: true; reason: string };

/** Says whether outgoing requests must not reach `ip`, and why. Anything that is not an IP is blocked. */
export function classifyAddress(ip: string | ParsedIp): AddressClass {
  const parsed = typeof ip === 'string' ? parseIp(ip) : ip;
  if (!parsed) return { blocked: true, reason: 'not an IP address' };
  if (parsed.version === 4) {
    const hit = BLOCKED_V4.find((entry) => cidrContains(entry.range, parsed));
    return hit ? { blocked: true, reason: hit.reason } : { blocked: false };
  }
  const hit = BLOCKED_V6.find((entry) => cidrContains(entry.range, parsed));
  if (hit) return { blocked: true, reason: hit.reason };
  for (const embedding of EMBEDDING_V6) {
    if (!cidrContains(embedding.range, parsed)) continue;
    const inner = classifyAddress({ version: 4, value: embedding.extract(parsed.value) });
    return inner.blocked ? { blocked: true, reason: `IPv6 form of a ${inner.reason}` } : inner;
  }
  return { blocked: false };
}

export function isBlockedAddress(ip: string): boolean {
  return classifyAddress(ip).blocked;
}
