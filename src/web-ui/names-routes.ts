import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Runtime } from '../runtime.js';
import { ownRowsOnly } from '../server/access-policy.js';
import { currentUser } from '../lifecycle/user-auth.js';
import { NAMED_TYPES, WORKSPACE_TYPE, nameDirectory } from '../bootstrap/names.js';

const Named = Type.Object({
  id: Type.String(),
  name: Type.String(),
  parentId: Type.Optional(Type.String()),
  color: Type.Optional(Type.String()),
});

export const NamesResponse = Type.Object({
  workspace: Type.Object({ id: Type.String(), name: Type.Union([Type.String(), Type.Null()]) }),
  users: Type.Array(Named),
  projects: Type.Array(Named),
  tasks: Type.Array(Named),
  clients: Type.Array(Named),
  tags: Type.Array(Named),
  customFields: Type.Array(Named),
  sources: Type.Array(Named),
});

/** GET /ui/names: ids → names of the workspace (bootstrap cache and custom sources), for every view. */
export async function namesRoutes(ui: FastifyInstance, { runtime }: { runtime: Runtime }) {
  const db = runtime.database.db;
  ui.get(
    '/ui/names',
    {
      schema: {
        tags: ['bootstrap'],
        summary: "Names of the workspace's users, projects, tasks, clients, tags, custom fields and sources, from the snapshot.",
        response: { 200: NamesResponse },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const [rows, sources] = await Promise.all([
        db
          .selectFrom('entity_cache')
          .select(['entity_type', 'entity_id', 'data_json'])
          .where('workspace_id', '=', user.workspaceId)
          .where('entity_type', 'in', [...Object.keys(NAMED_TYPES), WORKSPACE_TYPE])
          .execute(),
        runtime.edition.capabilities.customWebhooks
          ? db.selectFrom('custom_sources').select(['id', 'name']).where('workspace_id', '=', user.workspaceId).execute()
          : Promise.resolve([]),
      ]);
      const directory = nameDirectory(user.workspaceId, rows, sources);
      // Members know no other user (access-policy): their own name only.
      const aboutUser = ownRowsOnly(user);
      return aboutUser === undefined ? directory : { ...directory, users: directory.users.filter((entry) => entry.id === aboutUser) };
    },
  );
}
