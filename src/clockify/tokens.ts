import { hash } from 'node:crypto';
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, errors, importSPKI, jwtVerify } from 'jose';
import type { JWTPayload, JWTVerifyGetKey, KeyObject } from 'jose';

export type TokenContext = 'lifecycle' | 'webhook' | 'user' | 'installation';

export type RejectionReason =
  | 'missing'
  | 'oversized'
  | 'malformed'
  | 'unsigned'
  | 'algorithm'
  | 'signature'
  | 'issuer'
  | 'type'
  | 'subject'
  | 'expired'
  | 'not_yet_valid'
  | 'issued_in_the_future'
  | 'missing_exp'
  | 'user_token'
  | 'workspace_mismatch'
  | 'addon_mismatch'
  | 'unknown_key';

/** 401: we cannot tell who you are; 403: we can, and this token is not for here. */
const FORBIDDEN_REASONS: ReadonlySet<RejectionReason> = new Set(['subject', 'workspace_mismatch', 'addon_mismatch']);

export class TokenRejectedError extends Error {
  readonly status: 401 | 403;
  constructor(
    readonly reason: RejectionReason,
    readonly context: TokenContext,
  ) {
    // The message names the reason only: never the token or any claim value.
    super(`token rejected: ${reason}`);
    this.name = 'TokenRejectedError';
    this.status = FORBIDDEN_REASONS.has(reason) ? 403 : 401;
  }
}

export interface ClockifyClaims extends JWTPayload {
  iss: string;
  sub: string;
  type: string;
  workspaceId: string;
  addonId?: string;
  user?: string;
  backendUrl?: string;
  reportsUrl?: string;
  locationsUrl?: string;
  screenshotsUrl?: string;
  auditLogUrl?: string;
  workspaceRole?: string;
  language?: string;
  theme?: string;
}

export interface VerifyExpectations {
  context: TokenContext;
  workspaceId?: string;
  addonId?: string;
}

export interface TokenVerifierOptions {
  addonKey: string;
  publicKeyPem: string;
  jwksUrl?: string;
  /** Seconds of clock difference tolerated on exp / nbf / iat. */
  clockSkewSeconds?: number;
  now?: () => number;
  /**
   * Development only (REQUIRE_SIGNATURE_VERIFICATION=false): accept tokens without checking their
   * signature; every claim check still applies. Production configuration refuses this.
   */
  skipSignature?: boolean;
  /** After a JWKS fetch, no new fetch for this long even for an unknown kid (default 30 s). */
  jwksCooldownMs?: number;
}

const MAX_TOKEN_LENGTH = 8192;
const CACHE_LIMIT = 10_000;

/**
 * Verifies Clockify's RS256 tokens for one add-on key. Webhook and lifecycle tokens never change
 * between deliveries, so a successful signature check is cached by the token's hash; claims are
 * re-checked against the expectations on every call.
 */
export class TokenVerifier {
  private readonly staticKey: Promise<KeyObject | CryptoKey>;
  private readonly jwks?: JWTVerifyGetKey;
  private readonly cache = new Map<string, ClockifyClaims>();
  private readonly skew: number;
  private readonly now: () => number;

  constructor(private readonly options: TokenVerifierOptions) {
    this.staticKey = importSPKI(options.publicKeyPem, 'RS256');
    if (options.jwksUrl)
      this.jwks = createRemoteJWKSet(new URL(options.jwksUrl), {
        cacheMaxAge: 10 * 60_000,
        cooldownDuration: options.jwksCooldownMs ?? 30_000,
      });
    this.skew = options.clockSkewSeconds ?? 60;
    this.now = options.now ?? Date.now;
  }

  get addonKey(): string {
    return this.options.addonKey;
  }

  async verify(token: string | undefined | null, expect: VerifyExpectations): Promise<ClockifyClaims> {
    const context = expect.context;
    if (!token) throw new TokenRejectedError('missing', context);
    if (token.length > MAX_TOKEN_LENGTH) throw new TokenRejectedError('oversized', context);
    const cacheKey = hash('sha256', token, 'base64url');
    let claims = this.cache.get(cacheKey);
    if (!claims) {
      claims = await this.verifySignature(token, context);
      if (this.cache.size >= CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value as string);
      this.cache.set(cacheKey, claims);
    }
    this.checkClaims(claims, expect);
    return claims;
  }

  private async verifySignature(token: string, context: TokenContext): Promise<ClockifyClaims> {
    let header;
    try {
      header = decodeProtectedHeader(token);
    } catch {
      throw new TokenRejectedError('malformed', context);
    }
    // `alg: none` is named apart from other algorithms: it is an attempt to skip the signature altogether.
    if (typeof header.alg !== 'string' || header.alg.toLowerCase() === 'none') throw new TokenRejectedError('unsigned', context);
    if (header.alg !== 'RS256') throw new TokenRejectedError('algorithm', context);
    if (this.options.skipSignature) {
      try {
        return decodeJwt(token) as ClockifyClaims;
      } catch {
        throw new TokenRejectedError('malformed', context);
      }
    }
    try {
      const key = header.kid && this.jwks ? this.jwks : await this.staticKey;
      const { payload } = await jwtVerify(token, key as KeyObject, {
        algorithms: ['RS256'],
        clockTolerance: this.skew,
        currentDate: new Date(this.now()),
      });
      return payload as ClockifyClaims;
    } catch (error) {
      throw new TokenRejectedError(reasonFor(error), context);
    }
  }

  private checkClaims(claims: ClockifyClaims, expect: VerifyExpectations): void {
    const { context } = expect;
    const nowSeconds = this.now() / 1000;
    if (claims.iss !== 'clockify') throw new TokenRejectedError('issuer', context);
    if (claims.type !== 'addon') throw new TokenRejectedError('type', context);
    if (claims.sub !== this.options.addonKey) throw new TokenRejectedError('subject', context);
    // Cached claims must still be inside their validity window.
    if (typeof claims.exp === 'number' && claims.exp + this.skew < nowSeconds) throw new TokenRejectedError('expired', context);
    if (typeof claims.nbf === 'number' && claims.nbf - this.skew > nowSeconds) throw new TokenRejectedError('not_yet_valid', context);
    // Lifecycle events are ordered by `iat`: a token dated ahead of our clock would make every genuine
    // event after it look stale (an uninstall ignored), so beyond the skew it is no token of Clockify's.
    if (typeof claims.iat === 'number' && claims.iat - this.skew > nowSeconds)
      throw new TokenRejectedError('issued_in_the_future', context);
    // A user token is handed to a browser: it must expire.
    if (context === 'user' && typeof claims.exp !== 'number') throw new TokenRejectedError('missing_exp', context);
    // Only user tokens carry the viewer's role, and every workspace member has one in the sidebar URL:
    // offered as a lifecycle, installation or webhook token it would let any member pause, reconfigure or reinstall the add-on.
    if (context !== 'user' && claims.workspaceRole !== undefined) throw new TokenRejectedError('user_token', context);
    if (typeof claims.workspaceId !== 'string' || claims.workspaceId.length === 0) throw new TokenRejectedError('malformed', context);
    if (expect.workspaceId !== undefined && claims.workspaceId !== expect.workspaceId)
      throw new TokenRejectedError('workspace_mismatch', context);
    if (expect.addonId !== undefined && claims.addonId !== undefined && claims.addonId !== expect.addonId)
      throw new TokenRejectedError('addon_mismatch', context);
  }
}

function reasonFor(error: unknown): RejectionReason {
  if (error instanceof errors.JWTExpired) return 'expired';
  if (error instanceof errors.JWTClaimValidationFailed) return error.claim === 'nbf' ? 'not_yet_valid' : 'malformed';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'signature';
  if (error instanceof errors.JOSEAlgNotAllowed) return 'algorithm';
  if (error instanceof errors.JWKSNoMatchingKey) return 'unknown_key';
  return 'malformed';
}
