import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Runtime } from '../runtime.js';
import { InstallationStore } from './installations.js';
import type { Installation } from './installations.js';
import { assertMayWrite } from '../server/access-policy.js';
import { problems } from '../server/problems.js';
import { headerValue, verifyOrReject } from '../server/token-guard.js';

export interface UserContext {
  workspaceId: string;
  userId: string;
  role: string;
  isAdmin: boolean;
  /** The user's own token, to act with the user's rights (explorer). Never logged or returned. */
  token: string;
  installation: Installation;
  theme?: string;
  language?: string;
  /** When the token expires (ms since the epoch): a live stream it opened ends then. */
  expiresAt?: number;
}

declare module 'fastify' {
  interface FastifyRequest {
    user?: UserContext;
  }
}

const ADMIN_ROLES = new Set(['OWNER', 'ADMIN']);

/** The sidebar's token: `Authorization: Bearer`, `X-Addon-Token`, or `auth_token` in the query (EventSource cannot set headers). */
function userTokenOf(request: FastifyRequest): string | undefined {
  const authorization = headerValue(request, 'authorization');
  if (authorization?.toLowerCase().startsWith('bearer ')) return authorization.slice(7).trim();
  const header = headerValue(request, 'x-addon-token');
  if (header) return header;
  const query = request.query as Record<string, unknown> | undefined;
  return typeof query?.auth_token === 'string' ? query.auth_token : undefined;
}

/**
 * Every /ui/* route: a valid, unexpired user token of this add-on for a workspace where it is
 * installed. The workspace comes from the token only, never from the request, so one workspace's
 * user cannot name another's.
 */
export function registerUserAuth(app: FastifyInstance, runtime: Runtime): void {
  const installations = new InstallationStore(runtime.box);
  app.decorateRequest('user', undefined);
  app.addHook('onRequest', async (request) => {
    const token = userTokenOf(request);
    const claims = await verifyOrReject(runtime, request, token, { context: 'user' });
    const installation = await installations.get(runtime.database.db, claims.workspaceId);
    if (!installation || installation.status === 'DELETED')
      throw problems.forbidden('not-installed', 'The add-on is not installed in this workspace.');
    if (claims.addonId && claims.addonId !== installation.addonId) {
      runtime.metrics.tokenRejections.inc({ reason: 'addon_mismatch', context: 'user' });
      throw problems.forbidden('token-not-for-this-target', 'The user token belongs to another installation.');
    }
    const role = claims.workspaceRole ?? 'REGULAR';
    request.user = {
      workspaceId: claims.workspaceId,
      userId: claims.user ?? '',
      role,
      isAdmin: ADMIN_ROLES.has(role),
      token: token as string,
      installation,
      theme: claims.theme,
      language: claims.language,
      expiresAt: typeof claims.exp === 'number' ? claims.exp * 1000 : undefined,
    };
  });
}

export function currentUser(request: FastifyRequest): UserContext {
  if (!request.user) throw problems.unauthorized('invalid-token', 'A user token is required.');
  return request.user;
}

/** Writes are for workspace owners and admins, while the add-on is active (access-policy.ts); everyone else gets read-only views. */
export function requireAdmin(request: FastifyRequest): UserContext {
  return assertMayWrite(currentUser(request));
}
