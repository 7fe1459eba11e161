/**
 * Our own "Clockify": an RS256 key pair the add-on under test is configured to trust, and the
 * tokens an attacker would try. Tests build honest tokens with `sign` and hostile ones with the
 * other helpers, so every attack differs from an accepted token in exactly one way.
 */
import { SignJWT, exportSPKI, generateKeyPair } from 'jose';
import type { CryptoKey } from 'jose';

export interface Forger {
  publicKeyPem: string;
  /** A token signed with the trusted key; `claims` is the whole payload, `header` overrides alg/typ. */
  sign(claims: Record<string, unknown>, header?: Record<string, unknown>): Promise<string>;
  /** Same claims signed by a key nobody trusts. */
  signWithForeignKey(claims: Record<string, unknown>): Promise<string>;
}

const forgers = new Map<string, Promise<Forger>>();

/** One key pair per name per test process (RSA generation is slow). */
export function forger(name = 'default'): Promise<Forger> {
  let existing = forgers.get(name);
  if (!existing) {
    existing = createForger();
    forgers.set(name, existing);
  }
  return existing;
}

async function createForger(): Promise<Forger> {
  const trusted = await generateKeyPair('RS256', { extractable: true });
  const foreign = await generateKeyPair('RS256', { extractable: true });
  const sign = (key: CryptoKey, claims: Record<string, unknown>, header: Record<string, unknown> = {}) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'JWT', ...header }).sign(key);
  return {
    publicKeyPem: await exportSPKI(trusted.publicKey),
    sign: (claims, header) => sign(trusted.privateKey, claims, header),
    signWithForeignKey: (claims) => sign(foreign.privateKey, claims),
  };
}

const b64url = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** `alg: none` with an empty signature: the classic "unsigned token" attack. */
export function unsignedToken(claims: Record<string, unknown>): string {
  return `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(claims)}.`;
}

/** HS256 keyed with the public key PEM: the algorithm-confusion attack against RS256 verifiers. */
export function hs256WithPublicKey(claims: Record<string, unknown>, publicKeyPem: string): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(new TextEncoder().encode(publicKeyPem));
}

/** Swaps the payload of a validly signed token (the signature no longer matches). */
export function tamperedPayload(token: string, claims: Record<string, unknown>): string {
  const [header, , signature] = token.split('.');
  return `${header}.${b64url(claims)}.${signature}`;
}

export interface ClaimsInput {
  addonKey: string;
  workspaceId: string;
  addonId: string;
  userId: string;
  backendUrl: string;
}

/** Claims of an installation, webhook or lifecycle token: Clockify gives these no `exp`. */
export function addonClaims(input: ClaimsInput, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    iss: 'clockify',
    sub: input.addonKey,
    type: 'addon',
    workspaceId: input.workspaceId,
    addonId: input.addonId,
    user: input.userId,
    backendUrl: input.backendUrl,
    reportsUrl: input.backendUrl,
    // Distinct tokens of the same installation, like Clockify's (and the sandbox's jti).
    jti: `${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`,
    ...extra,
  };
}

/** Claims of a user token: the viewing user's role, and an expiry 30 minutes ahead by default. */
export function userClaims(input: ClaimsInput, role: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return addonClaims(input, { workspaceRole: role, language: 'EN', theme: 'DEFAULT', iat: now, exp: now + 1800, ...extra });
}
