import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import { decodeJwt } from 'jose';
import type { Runtime } from '../runtime.js';
import { HttpProblem } from '../server/problems.js';
import { headerValue } from '../server/token-guard.js';
import { newId } from '../util/ids.js';
import { keptHeaders } from './headers.js';

/** Refusals recorded per second at most, per process: a flood of bad requests must not become a flood of writes. */
const MAX_PER_SECOND = 20;
const SIGNATURE_HEADER = 'clockify-signature';

export interface RejectedRequest {
  workspaceId: string;
  source: string;
  eventType: string | null;
  status: number;
  reason: string;
  detail: string;
  headers: Record<string, string>;
  bodyBytes: number;
  receivedAt: number;
}

/**
 * Logs the webhook requests this server refuses, in the workspace they were meant for, so an admin
 * can see why a sender fails. Only a workspace that has installed the add-on gets entries: the
 * target is read from the request (the payload's workspace, the unverified token's claim, the
 * custom source's owner, or the owner of events a deleted source sent), never trusted beyond that.
 * Writing happens after the answer, never slows it, and a failed write is only logged.
 */
export function recordRejections(app: FastifyInstance, runtime: Runtime): void {
  const db = runtime.database.db;
  let windowStart = 0;
  let inWindow = 0;

  const attribute = async (request: FastifyRequest): Promise<{ workspaceId: string; source: string } | undefined> => {
    const sourceId = (request.params as { sourceId?: unknown } | undefined)?.sourceId;
    if (typeof sourceId === 'string' && request.url.startsWith('/webhooks/custom/')) {
      const source = `custom:${sourceId}`;
      const owner =
        (await db.selectFrom('custom_sources').select('workspace_id').where('id', '=', sourceId).executeTakeFirst()) ??
        (await db.selectFrom('webhook_events').select('workspace_id').where('source', '=', source).limit(1).executeTakeFirst());
      return owner ? { workspaceId: owner.workspace_id, source } : undefined;
    }
    const hints = [payloadWorkspace(request.body), claimedWorkspace(headerValue(request, SIGNATURE_HEADER))].filter(
      (id): id is string => typeof id === 'string' && id.length > 0 && id.length <= 64,
    );
    if (hints.length === 0) return undefined;
    const installed = await db.selectFrom('installations').select(['workspace_id', 'status']).where('workspace_id', 'in', hints).execute();
    const workspaceId = hints.find((id) => installed.some((row) => row.workspace_id === id && row.status !== 'DELETED'));
    return workspaceId ? { workspaceId, source: 'clockify' } : undefined;
  };

  const record = async (request: FastifyRequest, error: FastifyError | HttpProblem) => {
    const now = runtime.now();
    if (now - windowStart >= 1000) {
      windowStart = now;
      inWindow = 0;
    }
    if (++inWindow > MAX_PER_SECOND) return;
    const target = await attribute(request);
    if (!target) return;
    const status = error instanceof HttpProblem ? error.status : (error.statusCode ?? 500);
    const entry: RejectedRequest = {
      workspaceId: target.workspaceId,
      source: target.source,
      eventType:
        (
          headerValue(request, 'clockify-webhook-event-type') ??
          headerValue(request, 'x-event-type') ??
          headerValue(request, 'x-github-event')
        )?.slice(0, 100) ?? null,
      status,
      reason: error instanceof HttpProblem ? error.slug : (error.code ?? 'rejected').toLowerCase(),
      detail: error.message.slice(0, 300),
      headers: keptHeaders(request),
      bodyBytes: request.rawBody?.length ?? (Number(request.headers['content-length']) || 0),
      receivedAt: now,
    };
    await db
      .insertInto('rejected_requests')
      .values({
        id: newId(now),
        workspace_id: entry.workspaceId,
        source: entry.source,
        event_type: entry.eventType,
        status: entry.status,
        reason: entry.reason,
        detail: entry.detail,
        headers_json: JSON.stringify(entry.headers),
        body_bytes: entry.bodyBytes,
        received_at: entry.receivedAt,
      })
      .execute();
  };

  app.addHook('onError', async (request, _reply, error) => {
    const status = error instanceof HttpProblem ? error.status : ((error as FastifyError).statusCode ?? 500);
    // Refusals only: a 5xx is the server's own failure, already logged and measured.
    if (status < 400 || status >= 500) return;
    void record(request, error as FastifyError | HttpProblem).catch((failure: unknown) =>
      request.log.warn({ err: failure }, 'could not record a rejected webhook request'),
    );
  });
}

function payloadWorkspace(body: unknown): string | undefined {
  const value = body && typeof body === 'object' && !Array.isArray(body) ? (body as { workspaceId?: unknown }).workspaceId : undefined;
  return typeof value === 'string' ? value : undefined;
}

/** The workspace a signature token names, read without verifying it: only to file the refusal. */
function claimedWorkspace(token: string | undefined): string | undefined {
  if (!token) return undefined;
  try {
    const claims = decodeJwt(token);
    return typeof claims.workspaceId === 'string' ? claims.workspaceId : undefined;
  } catch {
    return undefined;
  }
}
