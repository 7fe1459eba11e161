import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { CredentialStore } from '../credentials/store.js';
import type { Runtime } from '../runtime.js';
import { HttpProblem, problems } from '../server/problems.js';
import { currentUser, requireAdmin } from '../lifecycle/user-auth.js';
import type { UserContext } from '../lifecycle/user-auth.js';
import { NAMED_TYPES, nameDirectory } from '../bootstrap/names.js';
import { definitionChecks } from './definition-checks.js';
import type { FlowDefinition } from './model.js';
import { EXPORT_MAX_BYTES, buildExport, planImport, readExport } from './portability.js';
import type { NamedEntity } from './portability.js';
import type { FlowStore, StoredFlow } from './store.js';

const Id = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' });
const FlowParams = Type.Object({ flowId: Id });
const VersionParams = Type.Object({ flowId: Id, version: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) });
const Version = Type.Object({
  version: Type.Integer(),
  name: Type.String(),
  enabled: Type.Boolean(),
  createdBy: Type.Union([Type.String(), Type.Null()], { description: 'The Clockify user who saved it.' }),
  createdAt: Type.Number(),
});
const Definition = Type.Record(Type.String(), Type.Unknown(), { description: 'The flow definition (docs/flows.md).' });
const Flow = Type.Object({
  id: Type.String(),
  name: Type.String(),
  enabled: Type.Boolean(),
  version: Type.Integer(),
  definition: Definition,
  createdAt: Type.Number(),
  updatedAt: Type.Number(),
});
const VersionList = Type.Object({ current: Type.Integer(), versions: Type.Array(Version) });
const VersionDetail = Type.Object({ ...Version.properties, definition: Definition });
const FlowResponse = Type.Object({ flow: Flow });
const DuplicateBody = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Defaults to "<name> (copy)".' })),
});
const Entity = Type.Object({ id: Type.String(), type: Type.String(), name: Type.String(), parentId: Type.Optional(Type.String()) });
const ExportDocument = Type.Object({
  format: Type.String(),
  formatVersion: Type.Integer(),
  exportedAt: Type.String(),
  source: Type.Object({
    edition: Type.String(),
    addonKey: Type.String(),
    workspaceId: Type.String(),
    flowId: Type.String(),
    version: Type.Integer(),
  }),
  definition: Definition,
  entities: Type.Array(Entity, {
    description: 'The Clockify entities the definition mentions, by name, so an import elsewhere can find its own.',
  }),
});
const ImportBody = Type.Object({
  document: Type.Unknown({ description: 'An exported flow file (GET /ui/flows/:flowId/export).' }),
  confirm: Type.Optional(Type.Boolean({ description: 'false or absent: a preview, nothing is saved; true: create the flow (disabled).' })),
});
const ImportPreview = Type.Object({
  name: Type.String(),
  source: Type.Object({ edition: Type.String(), sameEdition: Type.Boolean(), sameWorkspace: Type.Boolean() }),
  mapped: Type.Array(Type.Object({ from: Type.String(), to: Type.String(), type: Type.String(), name: Type.String() })),
  unmapped: Type.Array(
    Type.Object({
      id: Type.String(),
      type: Type.Union([Type.String(), Type.Null()]),
      name: Type.Union([Type.String(), Type.Null()]),
      reason: Type.String(),
    }),
  ),
  problems: Type.Array(Type.Object({ field: Type.String(), message: Type.String() }), {
    description: 'Why this edition would refuse the flow as it is (empty when it can be created).',
  }),
  definition: Definition,
  created: Type.Optional(Flow),
});

const flowView = (flow: StoredFlow) => ({
  id: flow.id,
  name: flow.name,
  enabled: flow.enabled,
  version: flow.version,
  definition: flow.definition as unknown as Record<string, unknown>,
  createdAt: flow.createdAt,
  updatedAt: flow.updatedAt,
});

/** The workspace's named entities from the bootstrap cache (the same directory the sidebar shows names from). */
async function directoryOf(runtime: Runtime, workspaceId: string): Promise<NamedEntity[]> {
  const rows = await runtime.database.db
    .selectFrom('entity_cache')
    .select(['entity_type', 'entity_id', 'data_json'])
    .where('workspace_id', '=', workspaceId)
    .where('entity_type', 'in', Object.keys(NAMED_TYPES))
    .execute();
  const directory = nameDirectory(workspaceId, rows, []);
  return (['users', 'projects', 'clients', 'tags', 'tasks', 'customFields'] as const).flatMap((type) =>
    directory[type].map((entity) => ({
      id: entity.id,
      type,
      name: entity.name,
      ...(entity.parentId ? { parentId: entity.parentId } : {}),
    })),
  );
}

/** Version history (restore), duplicate, and export / import of a flow as a file (admins write; everyone reads). */
export async function versionRoutes(
  ui: FastifyInstance,
  { runtime, store, credentials }: { runtime: Runtime; store: FlowStore; credentials: CredentialStore },
) {
  const tags = ['flows'];
  const checks = definitionChecks(runtime, credentials);
  const load = async (user: UserContext, flowId: string) => {
    const flow = await store.get(user.workspaceId, flowId);
    if (!flow) throw problems.notFound('unknown-flow', 'No flow with this id in this workspace.');
    return flow;
  };
  const save = async (user: UserContext, definition: unknown) =>
    checks.withoutLiteralSecrets(user.workspaceId, await checks.validate(user.workspaceId, definition));

  ui.get<{ Params: Static<typeof FlowParams> }>(
    '/ui/flows/:flowId/versions',
    {
      schema: {
        tags,
        summary: 'Every saved version of a flow, newest first (each edit, enable or restore is one).',
        params: FlowParams,
        response: { 200: VersionList },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const flow = await load(user, request.params.flowId);
      return { current: flow.version, versions: await store.versions(user.workspaceId, flow.id) };
    },
  );

  ui.get<{ Params: Static<typeof VersionParams> }>(
    '/ui/flows/:flowId/versions/:version',
    {
      schema: {
        tags,
        summary: 'One saved version of a flow with its definition.',
        params: VersionParams,
        response: { 200: VersionDetail },
      },
    },
    async (request) => {
      const user = currentUser(request);
      await load(user, request.params.flowId);
      const version = await store.versionOf(user.workspaceId, request.params.flowId, request.params.version);
      if (!version) throw problems.notFound('unknown-version', 'This flow has no such version.');
      return version;
    },
  );

  ui.post<{ Params: Static<typeof VersionParams> }>(
    '/ui/flows/:flowId/versions/:version/restore',
    {
      schema: {
        tags,
        summary: 'Restore a version: a new version equal to it (checked like an edit; history is kept) (admins).',
        params: VersionParams,
        response: { 200: FlowResponse },
      },
    },
    async (request) => {
      const user = requireAdmin(request);
      await load(user, request.params.flowId);
      const old = await store.versionOf(user.workspaceId, request.params.flowId, request.params.version);
      if (!old) throw problems.notFound('unknown-version', 'This flow has no such version.');
      const restored = await store.update(user.workspaceId, request.params.flowId, await save(user, old.definition), user.userId);
      return { flow: flowView(restored!) };
    },
  );

  ui.post<{ Params: Static<typeof FlowParams>; Body: Static<typeof DuplicateBody> }>(
    '/ui/flows/:flowId/duplicate',
    {
      schema: {
        tags,
        summary: 'A copy of the flow as a new flow, switched off (admins).',
        params: FlowParams,
        body: DuplicateBody,
        response: { 201: FlowResponse },
      },
    },
    async (request, reply) => {
      const user = requireAdmin(request);
      const flow = await load(user, request.params.flowId);
      const name = request.body?.name ?? `${flow.name} (copy)`.slice(0, 100);
      const created = await store.create(user.workspaceId, await save(user, { ...flow.definition, name, enabled: false }), user.userId);
      return reply.code(201).send({ flow: flowView(created) });
    },
  );

  ui.get<{ Params: Static<typeof FlowParams> }>(
    '/ui/flows/:flowId/export',
    {
      schema: {
        tags,
        summary:
          'The flow as a JSON file to import elsewhere: its definition, the names of the Clockify entities it mentions, and where it came from.',
        params: FlowParams,
        response: { 200: ExportDocument },
      },
    },
    async (request, reply) => {
      const user = currentUser(request);
      const flow = await load(user, request.params.flowId);
      const document = buildExport({
        definition: flow.definition as unknown as Record<string, unknown>,
        directory: await directoryOf(runtime, user.workspaceId),
        source: {
          edition: runtime.edition.id,
          addonKey: runtime.editionConfig.key,
          workspaceId: user.workspaceId,
          flowId: flow.id,
          version: flow.version,
        },
        exportedAt: new Date(runtime.now()),
      });
      const file = `${flow.name.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-|-$/g, '') || 'flow'}.flow.json`;
      reply.header('content-disposition', `attachment; filename="${file}"`);
      return document;
    },
  );

  ui.post<{ Body: Static<typeof ImportBody> }>(
    '/ui/flows/import',
    {
      schema: {
        tags,
        summary:
          "Import an exported flow: a preview of how its ids map to this workspace's entities by name (unmapped ones flagged); with confirm: true, creates it switched off (admins).",
        body: ImportBody,
        response: { 200: ImportPreview, 201: ImportPreview },
      },
    },
    async (request, reply) => {
      const user = requireAdmin(request);
      if ((JSON.stringify(request.body.document)?.length ?? 0) > EXPORT_MAX_BYTES)
        throw new HttpProblem(413, 'import-too-large', `An exported flow is at most ${EXPORT_MAX_BYTES} bytes of JSON.`, [
          { field: 'body.document', message: `must be at most ${EXPORT_MAX_BYTES} bytes` },
        ]);
      const read = readExport(request.body.document);
      if (!read.ok)
        throw problems.badRequest(
          'invalid-export',
          'This is not a flow exported by this add-on: ' +
            read.problems
              .slice(0, 3)
              .map((p) => `${p.field} ${p.message}`)
              .join('; '),
          read.problems.map((p) => ({ field: `body.${p.field}`, message: p.message })),
        );
      const plan = planImport(read.value, { workspaceId: user.workspaceId, directory: await directoryOf(runtime, user.workspaceId) });
      // Imported flows start switched off: their mapped ids deserve a look (and a dry run) first.
      const definition: Record<string, unknown> = { ...plan.definition, enabled: false };
      let checked: FlowDefinition | undefined;
      let validation: { field: string; message: string }[] = [];
      try {
        checked = await checks.validate(user.workspaceId, definition);
      } catch (error) {
        if (!(error instanceof HttpProblem)) throw error;
        validation = error.errors ?? [{ field: 'definition', message: error.message }];
      }
      const preview = {
        name: typeof definition.name === 'string' ? definition.name : '',
        source: {
          edition: read.value.source.edition,
          sameEdition: read.value.source.edition === runtime.edition.id,
          sameWorkspace: read.value.source.workspaceId === user.workspaceId,
        },
        mapped: plan.mapped,
        unmapped: plan.unmapped,
        problems: validation,
        definition,
      };
      if (request.body.confirm !== true) return preview;
      if (!checked)
        throw problems.badRequest(
          'invalid-flow',
          'The imported flow is invalid here: ' +
            validation
              .slice(0, 5)
              .map((p) => `${p.field} ${p.message}`)
              .join('; '),
          validation,
        );
      const created = await store.create(user.workspaceId, await checks.withoutLiteralSecrets(user.workspaceId, checked), user.userId);
      return reply
        .code(201)
        .send({ ...preview, definition: created.definition as unknown as Record<string, unknown>, created: flowView(created) });
    },
  );
}
