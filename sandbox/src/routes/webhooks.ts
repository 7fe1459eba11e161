import type { FastifyInstance, FastifyRequest } from 'fastify';
import { objectId } from '../data/workspace.js';
import { ClockifyError, badRequest, notFound } from '../errors.js';
import { requestState } from '../request-state.js';
import type { Plan } from '../types.js';
import type { WebhookRegistration } from '../webhook-registry.js';
import { WS, body, params, query, text, workspaceOf, type RouteContext } from './context.js';

/** REST webhook limits by plan (spec description, 2026). */
export function webhookLimits(plan: Plan): { perUser: number; perWorkspace: number } {
  if (plan === 'FREE') return { perUser: 3, perWorkspace: 3 };
  if (plan === 'ENTERPRISE') return { perUser: 100, perWorkspace: 300 };
  return { perUser: 10, perWorkspace: 100 };
}

export function webhookDto(reg: WebhookRegistration, withToken: boolean): Record<string, unknown> {
  return {
    id: reg.id,
    name: reg.name,
    url: reg.url,
    userId: reg.userId,
    workspaceId: reg.workspaceId,
    webhookEvent: reg.event,
    triggerSource: reg.triggerSource,
    triggerSourceType: reg.triggerSourceType,
    enabled: reg.enabled,
    deliveryEnabled: true,
    planEnabled: true,
    // Every answer carries the field the spec declares; another add-on's secret is never shown [U].
    authToken: withToken ? reg.authToken : '',
  };
}

function callerAddonId(request: FastifyRequest): string {
  const installation = requestState(request).installation;
  if (!installation) throw new ClockifyError(401, 'Unauthorized');
  return installation.addonId;
}

function checkUrl(url: unknown): string {
  if (typeof url !== 'string' || !/^https?:\/\/[^\s]+$/.test(url)) throw badRequest('Webhook url must be an http(s) URL');
  return url;
}

export function registerWebhookRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const ownedWebhook = (request: FastifyRequest): WebhookRegistration => {
    const ws = workspaceOf(ctx, request);
    const reg = ctx.registry.get(params(request)['webhookId'] ?? '');
    if (!reg || reg.workspaceId !== ws.id) throw notFound('Webhook');
    if (reg.addonId !== callerAddonId(request)) throw new ClockifyError(403, 'Webhook belongs to another add-on');
    return reg;
  };
  // A token is shown to the add-on that owns the webhook only.
  const show = (request: FastifyRequest, reg: WebhookRegistration) => webhookDto(reg, reg.addonId === callerAddonId(request));

  app.post(`${WS}/webhooks`, async (request, reply) => {
    const ws = workspaceOf(ctx, request);
    const b = body(ctx, request);
    const installation = requestState(request).installation;
    const token = requestState(request).token;
    if (!installation || !token) throw new ClockifyError(401, 'Unauthorized');
    const userCreated = ctx.registry.inWorkspace(ws.id).filter((r) => r.origin === 'USER_CREATED');
    const limits = webhookLimits(ctx.plan());
    if (userCreated.length >= limits.perWorkspace || userCreated.filter((r) => r.userId === token.userId).length >= limits.perUser) {
      throw new ClockifyError(403, `Webhook limit reached for the ${ctx.plan()} plan`);
    }
    const reg: WebhookRegistration = {
      id: objectId(),
      workspaceId: ws.id,
      event: String(b['webhookEvent']),
      url: checkUrl(b['url']),
      authToken: await ctx.tokens.signAddonToken({
        addonKey: installation.addonKey,
        addonId: installation.addonId,
        workspaceId: ws.id,
        userId: token.userId,
      }),
      origin: 'USER_CREATED',
      addonId: installation.addonId,
      name: typeof b['name'] === 'string' ? b['name'] : String(b['webhookEvent']),
      userId: token.userId,
      triggerSourceType: String(b['triggerSourceType']),
      triggerSource: (b['triggerSource'] as string[]) ?? [],
      enabled: true,
    };
    ctx.registry.add(reg);
    void reply.code(201);
    return webhookDto(reg, true);
  });

  app.get(`${WS}/webhooks`, async (request) => {
    const ws = workspaceOf(ctx, request);
    const type = text(query(request), 'type')?.toUpperCase();
    const all = ctx.registry.inWorkspace(ws.id);
    const selected = type ? all.filter((r) => r.origin === type) : all;
    return { webhooks: selected.map((r) => show(request, r)), workspaceWebhookCount: all.length };
  });

  app.get(`${WS}/addons/:addonId/webhooks`, async (request) => {
    const ws = workspaceOf(ctx, request);
    const all = ctx.registry.inWorkspace(ws.id);
    const mine = all.filter((r) => r.addonId === params(request)['addonId']);
    return { webhooks: mine.map((r) => show(request, r)), workspaceWebhookCount: all.length };
  });

  app.get(`${WS}/webhooks/:webhookId`, async (request) => {
    const ws = workspaceOf(ctx, request);
    const reg = ctx.registry.get(params(request)['webhookId'] ?? '');
    if (!reg || reg.workspaceId !== ws.id) throw notFound('Webhook');
    return show(request, reg);
  });

  app.put(`${WS}/webhooks/:webhookId`, async (request) => {
    const reg = ownedWebhook(request);
    const b = body(ctx, request);
    reg.url = checkUrl(b['url']);
    reg.event = String(b['webhookEvent']);
    reg.triggerSourceType = String(b['triggerSourceType']);
    reg.triggerSource = (b['triggerSource'] as string[]) ?? [];
    if (typeof b['name'] === 'string') reg.name = b['name'];
    return webhookDto(reg, true);
  });

  app.patch(`${WS}/webhooks/:webhookId/token`, async (request) => {
    const reg = ownedWebhook(request);
    const installation = requestState(request).installation;
    if (!installation) throw new ClockifyError(401, 'Unauthorized');
    reg.authToken = await ctx.tokens.signAddonToken({
      addonKey: installation.addonKey,
      addonId: installation.addonId,
      workspaceId: reg.workspaceId,
      userId: reg.userId,
    });
    return webhookDto(reg, true);
  });

  app.delete(`${WS}/webhooks/:webhookId`, async (request, reply) => {
    const reg = ownedWebhook(request);
    ctx.registry.remove(reg.id);
    return reply.code(200).send();
  });
}
