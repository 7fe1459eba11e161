import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import { defineRoom } from '../room.js';
import { dashboardFacts } from './dashboard.js';
import { problems } from '../server/problems.js';
import { currentUser } from '../lifecycle/user-auth.js';

const WorkspaceQuery = Type.Object({ workspace_id: Type.Optional(Type.String({ maxLength: 100 })) });
const Counts = Type.Object({ total: Type.Integer(), byStatus: Type.Record(Type.String(), Type.Integer()) });
const DashboardReply = Type.Object(
  {
    workspaceId: Type.String(),
    edition: Type.String(),
    bootstrap: Type.Union([Type.Object({ id: Type.String(), status: Type.String() }, { additionalProperties: true }), Type.Null()]),
    entityCounts: Type.Array(Type.Object({ type: Type.String(), count: Type.Integer() })),
    flows: Type.Object({ total: Type.Integer(), enabled: Type.Integer() }),
    last24h: Type.Object({ webhooks: Counts, flowRuns: Counts, apiCalls: Type.Integer() }),
    generatedAt: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: true },
);

/**
 * Small routes the Python system had, so its scripts and probes keep working: `GET /ui/health`
 * (public, no data), `GET /ui/dashboard` (the caller's workspace only) and `GET /openapi.json`
 * (FastAPI's default address of the API description; ours is also at /docs/json).
 */
export const pythonCompatRoom = defineRoom({
  name: 'python-compat',
  setup: (runtime) => ({
    async routes(app) {
      app.get(
        '/ui/health',
        {
          schema: {
            tags: ['operations'],
            summary: "Liveness under the Python system's address.",
            response: { 200: Type.Object({ status: Type.Literal('ok') }) },
          },
        },
        async () => ({ status: 'ok' as const }),
      );
      app.get(
        '/openapi.json',
        {
          schema: {
            tags: ['operations'],
            summary: "This edition's HTTP API as OpenAPI 3 (also at /docs/json).",
            response: {
              200: Type.Object(
                {
                  openapi: Type.String(),
                  info: Type.Object({}, { additionalProperties: true }),
                  paths: Type.Object({}, { additionalProperties: true }),
                },
                { additionalProperties: true },
              ),
            },
          },
        },
        async () => app.swagger(),
      );
    },
    async uiRoutes(ui) {
      ui.get<{ Querystring: Static<typeof WorkspaceQuery> }>(
        '/ui/dashboard',
        {
          schema: {
            tags: ['operations'],
            summary: 'Your workspace at a glance: bootstrap state, cached entities, flows, the last 24 hours of activity.',
            querystring: WorkspaceQuery,
            response: { 200: DashboardReply },
          },
        },
        async (request) => {
          const user = currentUser(request);
          if (request.query.workspace_id !== undefined && request.query.workspace_id !== user.workspaceId)
            throw problems.forbidden('workspace-mismatch', 'The dashboard shows your own workspace only.');
          return dashboardFacts(runtime, user.workspaceId);
        },
      );
    },
  }),
});
