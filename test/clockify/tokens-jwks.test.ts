import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, exportSPKI, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenRejectedError, TokenVerifier } from '../../src/clockify/tokens.js';

/** A JWKS endpoint whose key set the test can rotate, counting how often it is fetched. */
async function jwksServer() {
  let keys: unknown[] = [];
  let fetches = 0;
  const server = createServer((_request, response) => {
    fetches += 1;
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`,
    setKeys: (next: unknown[]) => (keys = next),
    fetches: () => fetches,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const claims = { iss: 'clockify', type: 'addon', sub: 'my-addon', workspaceId: 'ws1', addonId: 'a1' };
const sign = (key: CryptoKey, kid?: string) => new SignJWT(claims).setProtectedHeader({ alg: 'RS256', ...(kid ? { kid } : {}) }).sign(key);

describe('token verification with a JWKS endpoint', () => {
  let jwks: Awaited<ReturnType<typeof jwksServer>>;
  let staticPair: Awaited<ReturnType<typeof generateKeyPair>>;
  let first: Awaited<ReturnType<typeof generateKeyPair>>;
  let second: Awaited<ReturnType<typeof generateKeyPair>>;
  let verifier: TokenVerifier;

  beforeAll(async () => {
    jwks = await jwksServer();
    [staticPair, first, second] = await Promise.all([generateKeyPair('RS256'), generateKeyPair('RS256'), generateKeyPair('RS256')]);
    jwks.setKeys([{ ...(await exportJWK(first.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }]);
    verifier = new TokenVerifier({
      addonKey: 'my-addon',
      publicKeyPem: await exportSPKI(staticPair.publicKey),
      jwksUrl: jwks.url,
      jwksCooldownMs: 0,
    });
  });
  afterAll(() => jwks?.close());

  it('verifies a token whose kid is in the key set, and caches the set', async () => {
    await expect(verifier.verify(await sign(first.privateKey, 'k1'), { context: 'webhook' })).resolves.toMatchObject({
      workspaceId: 'ws1',
    });
    const fetched = jwks.fetches();
    await expect(verifier.verify(await sign(first.privateKey, 'k1'), { context: 'webhook' })).resolves.toMatchObject({
      workspaceId: 'ws1',
    });
    expect(jwks.fetches()).toBe(fetched);
  });

  it('follows a key rotation: a new kid makes it fetch the set again', async () => {
    jwks.setKeys([
      { ...(await exportJWK(first.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' },
      { ...(await exportJWK(second.publicKey)), kid: 'k2', alg: 'RS256', use: 'sig' },
    ]);
    const before = jwks.fetches();
    await expect(verifier.verify(await sign(second.privateKey, 'k2'), { context: 'webhook' })).resolves.toMatchObject({
      workspaceId: 'ws1',
    });
    expect(jwks.fetches()).toBe(before + 1);
  });

  it('refuses a kid the set does not have, and a key that signs under a known kid it does not own', async () => {
    const stranger = await generateKeyPair('RS256');
    await expect(verifier.verify(await sign(stranger.privateKey, 'k9'), { context: 'webhook' })).rejects.toMatchObject({
      reason: 'unknown_key',
      status: 401,
    });
    const error = await verifier.verify(await sign(stranger.privateKey, 'k1'), { context: 'webhook' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TokenRejectedError);
    expect((error as TokenRejectedError).reason).toBe('signature');
  });

  it('still verifies tokens without a kid against the configured static key', async () => {
    await expect(verifier.verify(await sign(staticPair.privateKey), { context: 'webhook' })).resolves.toMatchObject({ workspaceId: 'ws1' });
    await expect(verifier.verify(await sign(first.privateKey), { context: 'webhook' })).rejects.toMatchObject({ reason: 'signature' });
  });
});
