import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ClockifyError, badRequest, notFound } from '../errors.js';
import { requestState } from '../request-state.js';
import type { WebhookLogQuery, WebhookLogStore } from '../webhook-logs.js';
import { WS, body, params, query, text, workspaceOf, type RouteContext } from './context.js';

/**
 * `getLogsForWebhook`: POST /v1/workspaces/{ws}/webhooks/{webhookId}/logs?page=0&size=50 with
 * `{from, to, status: ALL|SUCCEEDED|FAILED, sortByNewest}` → a list of WebhookLogDtoV1. Only the
 * add-on that owns the webhook may read its log (the request and response bodies are in it).
 */
export function registerWebhookLogRoutes(app: FastifyInstance, ctx: RouteContext & { webhookLogs: WebhookLogStore }): void {
  app.post(`${WS}/webhooks/:webhookId/logs`, async (request) => {
    const ws = workspaceOf(ctx, request);
    const webhook = ctx.registry.get(params(request)['webhookId'] ?? '');
    if (!webhook || webhook.workspaceId !== ws.id) throw notFound('Webhook');
    const installation = requestState(request).installation;
    if (!installation) throw new ClockifyError(401, 'Unauthorized');
    if (webhook.addonId !== installation.addonId) throw new ClockifyError(403, 'Webhook belongs to another add-on');
    const search = searchOf(request, body(ctx, request));
    return ctx.webhookLogs.search(webhook.id, search).map((entry) => ({
      id: entry.id,
      webhookId: entry.webhookId,
      webhookEventStatusId: entry.webhookEventStatusId,
      requestBody: entry.requestBody,
      statusCode: entry.statusCode,
      responseBody: entry.responseBody,
      respondedAt: new Date(entry.at).toISOString().replace('Z', '+00:00'),
    }));
  });
}

function searchOf(request: FastifyRequest, b: Record<string, unknown>): WebhookLogQuery {
  const q = query(request);
  const page = integer(text(q, 'page'), 'page', 0) ?? 0;
  const size = integer(text(q, 'size'), 'size', 1) ?? 50;
  const status = b['status'] ?? 'ALL';
  if (status !== 'ALL' && status !== 'SUCCEEDED' && status !== 'FAILED') throw badRequest('status must be ALL, SUCCEEDED or FAILED');
  return { page, size, status, sortByNewest: b['sortByNewest'] === true, from: instant(b['from'], 'from'), to: instant(b['to'], 'to') };
}

function integer(value: string | undefined, name: string, min: number): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw badRequest(`Query parameter ${name} must be an integer of at least ${min}`);
  return n;
}

function instant(value: unknown, name: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  const at = typeof value === 'string' ? Date.parse(value) : NaN;
  if (Number.isNaN(at)) throw badRequest(`${name} must be a date-time (yyyy-MM-ddThh:mm:ssZ)`);
  return at;
}
