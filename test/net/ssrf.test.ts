import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { request, type Agent } from 'undici';
import {
  BlockedDestinationError,
  checkUrlSyntax,
  createGuardedDispatcher,
  createGuardedLookup,
  type LookupFunction,
} from '../../src/net/ssrf.js';

interface CountingServer {
  server: Server;
  port: number;
  hits: number;
}

async function startServer(host: string, body: string): Promise<CountingServer> {
  const state: CountingServer = { server: undefined as unknown as Server, port: 0, hits: 0 };
  state.server = createServer((_req, res) => {
    state.hits += 1;
    res.setHeader('connection', 'close');
    res.end(body);
  });
  await new Promise<void>((resolve) => state.server.listen(0, host, resolve));
  state.port = (state.server.address() as AddressInfo).port;
  return state;
}

/** A resolver that answers from a fixed sequence, one answer per call, and counts the calls. */
function scriptedLookup(answers: string[][]): LookupFunction & { calls: number } {
  const fn = ((_host, _options, callback) => {
    const index = Math.min(fn.calls, answers.length - 1);
    fn.calls += 1;
    const addresses = (answers[index] ?? []).map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    setImmediate(() => callback(null, addresses));
  }) as LookupFunction & { calls: number };
  fn.calls = 0;
  return fn;
}

let internal: CountingServer; // stands for a service only reachable from inside (127.0.0.1)
let outside: CountingServer; // stands for a legitimate destination (127.0.0.2, allowlisted in tests)
const dispatchers: Agent[] = [];

function guarded(...args: Parameters<typeof createGuardedDispatcher>): Agent {
  const agent = createGuardedDispatcher(...args);
  dispatchers.push(agent);
  return agent;
}

beforeAll(async () => {
  internal = await startServer('127.0.0.1', 'internal');
  outside = await startServer('127.0.0.2', 'outside');
});

afterEach(async () => {
  await Promise.all(dispatchers.splice(0).map((agent) => agent.close()));
});

afterAll(async () => {
  await new Promise((resolve) => internal.server.close(resolve));
  await new Promise((resolve) => outside.server.close(resolve));
});

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the request to fail');
}

describe('checkUrlSyntax', () => {
  it.each([
    ['https://example.com/hook', true],
    ['http://example.com:8080/a?b=c', true],
    ['HTTPS://EXAMPLE.COM', true],
    ['ftp://example.com/', false],
    ['file:///etc/passwd', false],
    ['javascript:alert(1)', false],
    ['https://user:secret@example.com/', false],
    ['https://user@example.com/', false],
    ['/relative/path', false],
    ['', false],
    [`https://example.com/${'a'.repeat(3000)}`, false],
  ])('%s → ok=%s', (url, ok) => {
    expect(checkUrlSyntax(url).ok).toBe(ok);
  });

  it('never echoes credentials in the reason', () => {
    const result = checkUrlSyntax('https://bob:hunter2@example.com/');
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).not.toContain('hunter2');
  });
});

describe('createGuardedDispatcher', () => {
  it.each([
    '127.0.0.1',
    '[::ffff:127.0.0.1]',
    '[::ffff:7f00:1]',
    '2130706433',
    '0x7f.0.0.1',
    '[::1]',
    '169.254.169.254',
    '10.0.0.1',
    '192.168.0.1',
  ])('refuses the literal address %s without connecting', async (host) => {
    const before = internal.hits;
    const error = await rejection(request(`http://${host}:${internal.port}/`, { dispatcher: guarded() }));
    expect(error).toBeInstanceOf(BlockedDestinationError);
    expect(internal.hits).toBe(before);
  });

  it('refuses a host name that resolves to loopback, naming the host and reason', async () => {
    const lookup = scriptedLookup([['127.0.0.1']]);
    const error = await rejection(request(`http://evil.example:${internal.port}/`, { dispatcher: guarded({ lookup }) }));
    expect(error).toBeInstanceOf(BlockedDestinationError);
    expect((error as Error).message).toBe('Destination evil.example is blocked: it resolves to a loopback address');
    expect((error as BlockedDestinationError).address).toBe('127.0.0.1');
    expect(internal.hits).toBe(0);
  });

  it('refuses when any one of several answers is internal', async () => {
    const lookup = scriptedLookup([['127.0.0.2', '10.0.0.5']]);
    const error = await rejection(
      request(`http://mixed.example:${outside.port}/`, { dispatcher: guarded({ lookup, allowlist: ['127.0.0.2'] }) }),
    );
    expect(error).toBeInstanceOf(BlockedDestinationError);
    expect((error as Error).message).toContain('private address');
  });

  it('connects only to the address it checked when DNS rebinds between lookups', async () => {
    // First answer is an allowed address, every later answer is loopback. A guard that checked with one
    // lookup and let the socket resolve again would reach the internal server.
    const lookup = scriptedLookup([['127.0.0.2'], ['127.0.0.1']]);
    const dispatcher = guarded({ lookup, allowlist: ['127.0.0.2/32'] });

    const first = await request(`http://rebind.example:${outside.port}/`, { dispatcher });
    expect(await first.body.text()).toBe('outside');
    expect(lookup.calls).toBe(1);

    const error = await rejection(request(`http://rebind.example:${outside.port}/again`, { dispatcher }));
    expect(error).toBeInstanceOf(BlockedDestinationError);
    expect(lookup.calls).toBe(2);
    expect(internal.hits).toBe(0);
  });

  it('lets an allowlisted loopback address reach a real local server', async () => {
    const response = await request(`http://127.0.0.1:${internal.port}/`, { dispatcher: guarded({ allowlist: ['127.0.0.1'] }) });
    expect(response.statusCode).toBe(200);
    expect(await response.body.text()).toBe('internal');
  });

  it('lets an allowlisted host name through whatever it resolves to', async () => {
    const lookup = scriptedLookup([['127.0.0.1']]);
    const response = await request(`http://Internal.Service:${internal.port}/`, {
      dispatcher: guarded({ lookup, allowlist: ['internal.service'] }),
    });
    expect(await response.body.text()).toBe('internal');
  });

  it('still refuses loopback when only another range is allowlisted', async () => {
    const error = await rejection(
      request(`http://127.0.0.1:${internal.port}/`, { dispatcher: guarded({ allowlist: ['10.0.0.0/8', 'example.com'] }) }),
    );
    expect(error).toBeInstanceOf(BlockedDestinationError);
  });

  it('rejects a malformed CIDR in the allowlist at construction', () => {
    expect(() => createGuardedDispatcher({ allowlist: ['10.0.0.0/99'] })).toThrow(/Invalid CIDR/);
  });
});

describe('createGuardedLookup', () => {
  it('returns the single checked address when the socket asks for one', async () => {
    const lookup = createGuardedLookup({ lookup: scriptedLookup([['93.184.216.34']]) });
    const result = await new Promise<unknown[]>((resolve) => lookup('example.com', {}, (...args) => resolve(args)));
    expect(result).toEqual([null, '93.184.216.34', 4]);
  });

  it('passes resolver errors through untouched', async () => {
    const failing: LookupFunction = (_h, _o, cb) =>
      cb(Object.assign(new Error('getaddrinfo ENOTFOUND nowhere'), { code: 'ENOTFOUND' }), []);
    const lookup = createGuardedLookup({ lookup: failing });
    const [error] = await new Promise<unknown[]>((resolve) => lookup('nowhere', { all: true }, (...args) => resolve(args)));
    expect((error as NodeJS.ErrnoException).code).toBe('ENOTFOUND');
  });

  it('refuses a name with no addresses', async () => {
    const lookup = createGuardedLookup({ lookup: scriptedLookup([[]]) });
    const [error] = await new Promise<unknown[]>((resolve) => lookup('empty.example', { all: true }, (...args) => resolve(args)));
    expect(error).toBeInstanceOf(BlockedDestinationError);
  });
});
