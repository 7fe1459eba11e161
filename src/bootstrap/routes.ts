import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Runtime } from '../runtime.js';
import { problems } from '../server/problems.js';
import { currentUser, requireAdmin } from '../lifecycle/user-auth.js';
import { MEMBER_VISIBLE_ENTITY_TYPES, PER_USER_ENTITY_TYPES, payloadFor, seesEntityType } from '../server/access-policy.js';
import { decodeCursor, entityCounts, getEntity, listEntities } from './cache.js';
import { cancelRuns, refusalOf, startRun } from './control.js';
import { runView } from './progress.js';
import { BootstrapStatus, EntityPage, RunStarted } from './schemas.js';
import { activeRun, getRun, latestRun, stepErrors, stepWarnings } from './store.js';

const EntitiesQuery = Type.Object({
  type: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  cursor: Type.Optional(Type.String({ maxLength: 1000 })),
});

/** Errors listed with a run; the count says how many there are in all. */
const ERRORS_SHOWN = 50;

/** Types every member of the workspace may read from the cache (the rule lives in access-policy.ts). */
export const MEMBER_VISIBLE_TYPES = MEMBER_VISIBLE_ENTITY_TYPES;

export async function bootstrapRoutes(ui: FastifyInstance, { runtime }: { runtime: Runtime }) {
  // Handlers are checked against their declared answers (the type provider reads the TypeBox schemas).
  const typed = ui.withTypeProvider<TypeBoxTypeProvider>();
  const db = runtime.database.db;
  const tags = ['bootstrap'];

  const viewOf = async (runId: string) => {
    const run = await getRun(db, runId);
    return run ? runView(run, await stepErrors(db, run.id, ERRORS_SHOWN), await stepWarnings(db, run.id, ERRORS_SHOWN)) : null;
  };

  typed.get(
    '/ui/bootstrap/status',
    {
      schema: {
        tags,
        summary:
          'The latest bootstrap run (progress, errors; warnings naming what a run completed with warnings cut) and the cached entities per type.',
        response: { 200: BootstrapStatus },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const run = await latestRun(db, user.workspaceId);
      // Members: their own counts (types they may read, their own user row), and no step errors (what Clockify answered the installation token).
      const counts = (await entityCounts(db, user.workspaceId)).filter((entry) => seesEntityType(user, entry.type));
      if (!user.isAdmin) {
        for (const entry of counts)
          if (PER_USER_ENTITY_TYPES.includes(entry.type))
            entry.count = (await getEntity(db, user.workspaceId, entry.type, user.userId)) === undefined ? 0 : 1;
      }
      return {
        run: run
          ? runView(run, user.isAdmin ? await stepErrors(db, run.id, ERRORS_SHOWN) : [], await stepWarnings(db, run.id, ERRORS_SHOWN))
          : null,
        entityCounts: counts,
      };
    },
  );

  // No body schema: the body is optional (a bare POST means "full"), which a schema would refuse.
  typed.post<{ Body: { mode?: unknown } | undefined }>(
    '/ui/bootstrap/trigger',
    {
      schema: {
        tags,
        summary:
          'Start a bootstrap: `{"mode": "full"}` (default) or only the operations that failed last time, `{"mode": "failed-only"}` (admins).',
        response: { 202: RunStarted },
      },
    },
    async (request, reply) => {
      const user = requireAdmin(request);
      const mode = request.body?.mode ?? 'full';
      if (mode !== 'full' && mode !== 'failed-only')
        throw problems.badRequest('invalid-mode', 'mode must be "full" or "failed-only".', [
          { field: 'body.mode', message: 'must be "full" or "failed-only"' },
        ]);
      const result = await startRun(runtime, user.workspaceId, { mode });
      if (!result.started) throw refusalOf(result);
      return reply.code(202).send({ run: await viewOf(result.run.id) });
    },
  );

  typed.post(
    '/ui/bootstrap/cancel',
    { schema: { tags, summary: 'Stop the running bootstrap at its next page (admins).', response: { 202: RunStarted } } },
    async (request, reply) => {
      const user = requireAdmin(request);
      const run = await activeRun(db, user.workspaceId);
      if (!run) throw problems.conflict('no-active-bootstrap', 'No bootstrap is running for this workspace.');
      await cancelRuns(runtime, db, user.workspaceId);
      return reply.code(202).send({ run: await viewOf(run.id) });
    },
  );

  typed.get(
    '/ui/bootstrap/entities',
    {
      schema: {
        tags,
        summary: 'Cached entities, by type, a page at a time (members see shared types only).',
        querystring: EntitiesQuery,
        response: { 200: EntityPage },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const { type, cursor } = request.query;
      const limit = request.query.limit ?? 100;
      if (cursor !== undefined && !decodeCursor(cursor))
        throw problems.badRequest('invalid-cursor', 'The cursor is not one this endpoint returned.');
      if (!user.isAdmin) {
        if (type === undefined) throw problems.badRequest('type-required', 'Name the entity type to list.');
        if (!seesEntityType(user, type))
          throw problems.forbidden('admin-required', `Only workspace owners and admins can read cached ${type}.`);
        if (PER_USER_ENTITY_TYPES.includes(type)) {
          // One row per user: a member's page holds their own row only.
          const own = await getEntity(db, user.workspaceId, type, user.userId);
          return { items: own === undefined ? [] : [{ type, id: user.userId, data: payloadFor(user, own) }], nextCursor: null };
        }
      }
      const page = await listEntities(db, user.workspaceId, {
        ...(type !== undefined ? { type } : {}),
        limit,
        ...(cursor !== undefined ? { cursor } : {}),
      });
      return { ...page, items: page.items.map((item) => ({ ...item, data: payloadFor(user, item.data) })) };
    },
  );
}
