import { randomUUID } from 'node:crypto';
import { SignJWT, jwtVerify, type JWTPayload } from 'jose';
import type { SigningKeys } from './keys.js';
import type { WorkspaceRole } from './data/records.js';

/** The URLs a token tells an add-on to use (Clockify's url claims, pointing at the sandbox). */
export interface TokenUrls {
  backendUrl: string;
  reportsUrl: string;
  locationsUrl: string;
  screenshotsUrl: string;
  /** Sandbox extra: Clockify has no such claim; add-ons may use it to reach the sandbox's audit log server. */
  auditLogUrl: string;
}

export interface AddonTokenSubject {
  addonKey: string;
  addonId: string;
  workspaceId: string;
  /** Installation/webhook/lifecycle tokens: the workspace owner. User tokens: the viewing user. */
  userId: string;
}

export interface UserTokenOptions {
  role: WorkspaceRole;
  language: string;
  theme: 'DEFAULT' | 'DARK';
  expiresInSeconds: number;
}

export interface VerifiedToken {
  claims: JWTPayload & Record<string, unknown>;
  addonId: string;
  workspaceId: string;
  userId: string;
  isUserToken: boolean;
}

/**
 * Signs and checks Clockify-style add-on tokens. Every token carries a random `jti` (a sandbox extra)
 * so that an installation token and a webhook token of the same installation never coincide.
 */
export class TokenService {
  constructor(
    private readonly keys: SigningKeys,
    private readonly urls: TokenUrls,
  ) {}

  /** Installation, webhook and lifecycle tokens: never expire, like Clockify's. */
  async signAddonToken(subject: AddonTokenSubject): Promise<string> {
    return new SignJWT(this.baseClaims(subject))
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT' })
      .setIssuer('clockify')
      .setSubject(subject.addonKey)
      .setJti(randomUUID())
      .sign(this.keys.privateKey);
  }

  async signUserToken(subject: AddonTokenSubject, options: UserTokenOptions): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({
      ...this.baseClaims(subject),
      workspaceRole: options.role,
      language: options.language,
      theme: options.theme,
    })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT' })
      .setIssuer('clockify')
      .setSubject(subject.addonKey)
      .setIssuedAt(now)
      .setExpirationTime(now + options.expiresInSeconds)
      .setJti(randomUUID())
      .sign(this.keys.privateKey);
  }

  /** Verifies signature, issuer, `type` and expiry; returns undefined for anything not a valid sandbox token. */
  async verify(token: string): Promise<VerifiedToken | undefined> {
    try {
      const { payload } = await jwtVerify(token, this.keys.publicKey, { issuer: 'clockify', algorithms: ['RS256'] });
      const claims = payload as JWTPayload & Record<string, unknown>;
      if (claims['type'] !== 'addon') return undefined;
      const { addonId, workspaceId, user } = claims;
      if (typeof addonId !== 'string' || typeof workspaceId !== 'string' || typeof user !== 'string') return undefined;
      return { claims, addonId, workspaceId, userId: user, isUserToken: typeof claims['workspaceRole'] === 'string' };
    } catch {
      return undefined;
    }
  }

  private baseClaims(subject: AddonTokenSubject): Record<string, unknown> {
    return {
      type: 'addon',
      workspaceId: subject.workspaceId,
      addonId: subject.addonId,
      user: subject.userId,
      backendUrl: this.urls.backendUrl,
      reportsUrl: this.urls.reportsUrl,
      locationsUrl: this.urls.locationsUrl,
      screenshotsUrl: this.urls.screenshotsUrl,
      auditLogUrl: this.urls.auditLogUrl,
    };
  }
}
