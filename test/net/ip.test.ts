import { describe, expect, it } from 'vitest';
import { classifyAddress, isBlockedAddress, parseCidr, parseIp, cidrContains } from '../../src/net/ip.js';

describe('isBlockedAddress', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.127.255.255', 'carrier-grade NAT'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456:789a::1', 'unique-local'],
    ['0.0.0.0', 'this network'],
    ['0.1.2.3', 'this network'],
    ['::', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
    ['192.0.2.10', 'documentation'],
    ['198.51.100.7', 'documentation'],
    ['203.0.113.9', 'documentation'],
    ['2001:db8::1', 'documentation'],
    ['::ffff:127.0.0.1', 'IPv6 form of a loopback'],
    ['::ffff:7f00:1', 'IPv6 form of a loopback'],
    ['::ffff:10.0.0.1', 'IPv6 form of a private'],
    ['::ffff:169.254.169.254', 'IPv6 form of a link-local'],
    ['64:ff9b::127.0.0.1', 'IPv6 form of a loopback'],
    ['2002:7f00:1::', 'IPv6 form of a loopback'],
    ['::127.0.0.1', 'IPv6 form of a loopback'],
    ['not-an-ip', 'not an IP'],
    ['', 'not an IP'],
    ['1.2.3', 'not an IP'],
  ])('%s is blocked (%s)', (ip, reason) => {
    const verdict = classifyAddress(ip);
    expect(verdict.blocked).toBe(true);
    expect(verdict.blocked && verdict.reason).toContain(reason);
    expect(isBlockedAddress(ip)).toBe(true);
  });

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '172.32.0.1',
    '172.15.255.255',
    '100.128.0.1',
    '11.0.0.1',
    '2606:4700:4700::1111',
    '::ffff:8.8.8.8',
    '2002:0808:0808::1',
  ])('%s is a public address', (ip) => {
    expect(isBlockedAddress(ip)).toBe(false);
  });
});

describe('parseIp / parseCidr', () => {
  it('parses compressed and embedded IPv6 forms to the same value', () => {
    expect(parseIp('::ffff:127.0.0.1')).toEqual(parseIp('0:0:0:0:0:ffff:7f00:0001'));
    expect(parseIp('1::')).toEqual({ version: 6, value: 1n << 112n });
  });

  it('matches addresses inside a CIDR and not outside it', () => {
    const range = parseCidr('10.20.0.0/16')!;
    expect(cidrContains(range, parseIp('10.20.255.1')!)).toBe(true);
    expect(cidrContains(range, parseIp('10.21.0.1')!)).toBe(false);
    expect(cidrContains(range, parseIp('::1')!)).toBe(false);
    expect(cidrContains(parseCidr('0.0.0.0/0')!, parseIp('8.8.8.8')!)).toBe(true);
  });

  it('treats a bare address as a single-host range and rejects bad prefixes', () => {
    expect(parseCidr('::1')).toEqual({ version: 6, base: 1n, prefix: 128 });
    expect(parseCidr('10.0.0.0/33')).toBeUndefined();
    expect(parseCidr('10.0.0.0/x')).toBeUndefined();
    expect(parseCidr('example.com/8')).toBeUndefined();
  });
});
