import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ClockifyClaims } from '../clockify/tokens.js';
import { LIFECYCLE_PATHS } from '../clockify/manifest.js';
import type { Runtime } from '../runtime.js';
import { headerValue, verifyOrReject } from '../server/token-guard.js';
import { DeletedBody, InstalledBody, LifecycleReply, SettingsUpdatedBody, StatusChangedBody } from './schemas.js';
import type { LifecycleService } from './service.js';
import type { LifecycleOutcome } from './service.js';

declare module 'fastify' {
  interface FastifyRequest {
    lifecycleClaims?: ClockifyClaims;
  }
}

const LIFECYCLE_HEADER = 'x-addon-lifecycle-token';

/** Clockify's lifecycle calls. Token first (nothing is parsed for a stranger), then the body, then the change. */
export async function lifecycleRoutes(app: FastifyInstance, { runtime, service }: { runtime: Runtime; service: LifecycleService }) {
  app.addHook('preValidation', async (request) => {
    request.lifecycleClaims = await verifyOrReject(runtime, request, headerValue(request, LIFECYCLE_HEADER), { context: 'lifecycle' });
  });

  /** The token must be for the workspace and installation the body names. */
  const claimsFor = (request: FastifyRequest, body: { workspaceId: string; addonId: string }) =>
    verifyOrReject(runtime, request, headerValue(request, LIFECYCLE_HEADER), {
      context: 'lifecycle',
      workspaceId: body.workspaceId,
      addonId: body.addonId,
    });

  const reply = (type: string, workspaceId: string, outcome: LifecycleOutcome) => {
    runtime.metrics.lifecycleEvents.inc({ type, outcome });
    runtime.logger.info({ workspaceId, lifecycle: type, outcome }, 'lifecycle event');
    return { ok: true, outcome, workspaceId };
  };
  const common = (summary: string, body: unknown) => ({
    schema: { tags: ['lifecycle'], summary, body, response: { 200: LifecycleReply }, security: [{ lifecycleToken: [] }] },
  });

  app.post<{ Body: InstalledBody }>(
    LIFECYCLE_PATHS.INSTALLED,
    common('INSTALLED: store the installation, register webhooks, start the bootstrap.', InstalledBody),
    async (request) => {
      const body = request.body;
      const lifecycle = await claimsFor(request, body);
      const installation = await verifyOrReject(runtime, request, body.authToken, {
        context: 'installation',
        workspaceId: body.workspaceId,
        addonId: body.addonId,
      });
      const webhookTokens: { path: string; token: string }[] = [];
      for (const webhook of body.webhooks ?? []) {
        await verifyOrReject(runtime, request, webhook.authToken, {
          context: 'webhook',
          workspaceId: body.workspaceId,
          addonId: body.addonId,
        });
        webhookTokens.push({ path: webhook.path, token: webhook.authToken });
      }
      return reply('INSTALLED', body.workspaceId, await service.installed(body, lifecycle, installation, webhookTokens));
    },
  );

  const deleted = async (request: FastifyRequest<{ Body: DeletedBody }>) => {
    const lifecycle = await claimsFor(request, request.body);
    return reply('DELETED', request.body.workspaceId, await service.deleted(request.body, lifecycle));
  };
  app.post<{ Body: DeletedBody }>(
    LIFECYCLE_PATHS.DELETED,
    common('DELETED: drop tokens at once, unregister webhooks, cancel jobs, delete data per setting.', DeletedBody),
    deleted,
  );
  app.post<{ Body: DeletedBody }>('/lifecycle/uninstalled', { ...common('Alias of /lifecycle/deleted.', DeletedBody) }, deleted);

  app.post<{ Body: StatusChangedBody }>(
    LIFECYCLE_PATHS.STATUS_CHANGED,
    common('STATUS_CHANGED: INACTIVE pauses webhooks, flows and jobs; ACTIVE resumes.', StatusChangedBody),
    async (request) => {
      const lifecycle = await claimsFor(request, request.body);
      return reply('STATUS_CHANGED', request.body.workspaceId, await service.statusChanged(request.body, lifecycle));
    },
  );

  app.post<{ Body: SettingsUpdatedBody }>(
    LIFECYCLE_PATHS.SETTINGS_UPDATED,
    common('SETTINGS_UPDATED: store the typed settings of the workspace.', SettingsUpdatedBody),
    async (request) => {
      const lifecycle = await claimsFor(request, request.body);
      return reply('SETTINGS_UPDATED', request.body.workspaceId, await service.settingsUpdated(request.body, lifecycle));
    },
  );
}
