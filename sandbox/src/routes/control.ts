import type { FastifyInstance } from 'fastify';
import { badRequest } from '../errors.js';
import type { FaultOptions } from '../faults.js';
import type { Sandbox, UserTokenRequest } from '../types.js';

const ROLES = ['OWNER', 'ADMIN', 'TEAM_MANAGER', 'PROJECT_MANAGER', 'REGULAR'] as const;

/**
 * `/__sandbox/*`: lets other processes (the CLI, a demo) drive the sandbox as "the Clockify UI".
 * Never subject to auth, rate limits or injected faults.
 */
export function registerControlRoutes(app: FastifyInstance, sandbox: () => Sandbox, stats: () => Record<string, unknown>): void {
  const obj = (value: unknown): Record<string, unknown> => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw badRequest('Body must be a JSON object');
    return value as Record<string, unknown>;
  };
  const str = (value: unknown, name: string): string => {
    if (typeof value !== 'string' || value === '') throw badRequest(`${name} is required`);
    return value;
  };
  const optStr = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

  app.post('/__sandbox/install', async (request) => {
    const b = obj(request.body);
    const manifest = typeof b['manifest'] === 'object' && b['manifest'] !== null ? (b['manifest'] as object) : undefined;
    return sandbox().install({
      ...(manifest ? { manifest } : { manifestUrl: str(b['manifestUrl'], 'manifestUrl') }),
      ...(optStr(b['workspaceId']) && { workspaceId: optStr(b['workspaceId']) }),
    });
  });

  app.post('/__sandbox/uninstall', async (request) => {
    const b = obj(request.body);
    return sandbox().uninstall({ addonKey: str(b['addonKey'], 'addonKey'), workspaceId: optStr(b['workspaceId']) });
  });

  app.post('/__sandbox/status', async (request) => {
    const b = obj(request.body);
    const status = b['status'];
    if (status !== 'ACTIVE' && status !== 'INACTIVE') throw badRequest('status must be ACTIVE or INACTIVE');
    return sandbox().setStatus({ addonKey: str(b['addonKey'], 'addonKey'), workspaceId: optStr(b['workspaceId']), status });
  });

  app.post('/__sandbox/settings', async (request) => {
    const b = obj(request.body);
    return sandbox().updateSettings({
      addonKey: str(b['addonKey'], 'addonKey'),
      workspaceId: optStr(b['workspaceId']),
      values: obj(b['values'] ?? {}),
    });
  });

  app.post('/__sandbox/trigger', async (request) => {
    const b = obj(request.body);
    const payload = b['payload'] === undefined ? undefined : obj(b['payload']);
    const deliveries = await sandbox().trigger(str(b['event'], 'event'), {
      ...(optStr(b['workspaceId']) && { workspaceId: optStr(b['workspaceId']) }),
      ...(optStr(b['addonKey']) && { addonKey: optStr(b['addonKey']) }),
      ...(payload && { payload }),
    });
    return { deliveries };
  });

  app.post('/__sandbox/token', async (request) => {
    const b = obj(request.body);
    const role = optStr(b['role']);
    if (role !== undefined && !(ROLES as readonly string[]).includes(role)) throw badRequest(`role must be one of ${ROLES.join(', ')}`);
    const theme = optStr(b['theme']);
    const token = await sandbox().userToken({
      addonKey: str(b['addonKey'], 'addonKey'),
      workspaceId: optStr(b['workspaceId']),
      userId: optStr(b['userId']),
      ...(role && { role: role as UserTokenRequest['role'] }),
      ...(theme && { theme: theme === 'DARK' ? 'DARK' : 'DEFAULT' }),
      language: optStr(b['language']),
      ...(typeof b['expiresInSeconds'] === 'number' && { expiresInSeconds: b['expiresInSeconds'] }),
    });
    return { token };
  });

  app.post('/__sandbox/faults', async (request) => {
    const b = obj(request.body) as FaultOptions;
    try {
      sandbox().setFaults(b);
    } catch (error) {
      throw badRequest((error as Error).message);
    }
    return { ok: true };
  });

  app.get('/__sandbox/info', async () => {
    const s = sandbox();
    return {
      url: s.url,
      backendUrl: s.backendUrl,
      reportsUrl: s.reportsUrl,
      auditLogUrl: s.auditLogUrl,
      publicKeyPem: s.publicKeyPem,
      workspaces: s.workspaces(),
      installations: s.installations(),
    };
  });

  app.get('/__sandbox/stats', async () => stats());

  // Add-ons must be configured to trust this key instead of Clockify's.
  app.get('/__sandbox/public-key.pem', async (_request, reply) => reply.type('application/x-pem-file').send(sandbox().publicKeyPem));

  app.get('/__sandbox/deliveries', async () => ({
    deliveries: sandbox()
      .deliveries()
      .map((d) => ({ ...d, payload: redactTokens(d.payload) })),
  }));
}

/** INSTALLED payloads carry the installation and webhook tokens: never hand them out over HTTP. */
function redactTokens(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactTokens);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === 'authToken' ? '[redacted]' : redactTokens(v)]));
}
