import type { FastifyInstance } from 'fastify';
import { bootstrapRoom } from './bootstrap/index.js';
import { credentialsRoom } from './credentials/index.js';
import { explorerRoom } from './explorer/index.js';
import { flowsRoom } from './flows/index.js';
import { ingestRoom } from './ingest/index.js';
import { jobsRoom } from './jobs/room.js';
import { lifecycleRoom } from './lifecycle/index.js';
import { pythonCompatRoom } from './python-compat/index.js';
import { reconcileRoom } from './reconcile/index.js';
import { retentionRoom } from './retention/index.js';
import type { Room, RoomDefinition } from './room.js';
import type { Runtime } from './runtime.js';
import { registerAccessPolicy } from './server/access-policy.js';
import { registerUserAuth } from './lifecycle/user-auth.js';
import type { AnyDataPolicy, TableExemption } from './storage/data-policy.js';
import { STORAGE_EXEMPTIONS } from './storage/data-policies.js';
import { STORAGE_MIGRATIONS } from './storage/migrations/index.js';
import type { Migration } from './storage/migrations/index.js';
import { registerAddressBudget, registerMemberBudget } from './server/cost-budget.js';
import { webUiRoom } from './web-ui/index.js';

/**
 * Every room of an edition, in one list: adding one is its folder plus one line here. The order is
 * the order rooms are set up, their hooks run and they start (they stop in reverse).
 */
export const ROOMS: readonly RoomDefinition[] = [
  lifecycleRoom,
  ingestRoom,
  jobsRoom,
  bootstrapRoom,
  explorerRoom,
  credentialsRoom,
  flowsRoom,
  reconcileRoom,
  retentionRoom,
  webUiRoom,
  pythonCompatRoom,
];

/** Every table's data policy, as the rooms declare them (the purge and the retention sweeper iterate these). */
export const DATA_POLICIES: readonly AnyDataPolicy[] = ROOMS.flatMap((room) => room.tables ?? []);

/** Tables that hold no workspace data at all, with the reason. */
export const TABLE_EXEMPTIONS: readonly TableExemption[] = [...STORAGE_EXEMPTIONS, ...ROOMS.flatMap((room) => room.exemptions ?? [])];

/** The base schema and every room's migrations; Kysely's Migrator applies them by their NNN prefix. */
export const MIGRATIONS: readonly Migration[] = [...STORAGE_MIGRATIONS, ...ROOMS.flatMap((room) => room.migrations ?? [])].sort((a, b) =>
  a.name.localeCompare(b.name),
);

/**
 * Sets up each room and collects what it declares: job kinds (one room each: a kind declared twice
 * throws, naming both rooms, so the edition does not start), consumers by their order, lifecycle
 * hooks in the rooms' order; then starts them in order and stops them in reverse when the edition closes.
 */
export async function setupRooms(runtime: Runtime, definitions: readonly RoomDefinition[] = ROOMS): Promise<Room[]> {
  const owners = new Map<string, string>(Object.keys(runtime.jobHandlers).map((kind) => [kind, 'the runtime']));
  const rooms: Room[] = [];
  for (const definition of definitions) {
    // Checked as each room is set up: a duplicate stops before later rooms build anything.
    const room: Room = { ...definition.setup(runtime), name: definition.name };
    rooms.push(room);
    for (const [kind, handler] of Object.entries(room.jobs ?? {})) {
      const owner = owners.get(kind);
      if (owner) throw new Error(`job kind "${kind}" is declared by both ${owner} and room "${room.name}"`);
      owners.set(kind, `room "${room.name}"`);
      runtime.jobHandlers[kind] = handler;
    }
  }
  const consumers = rooms.flatMap((room) => room.consumers ?? []);
  // A stable sort: consumers of one order keep the rooms' order.
  runtime.consumers.push(...consumers.sort((a, b) => a.order - b.order));
  for (const room of rooms) {
    if (room.lifecycle?.onInstalled) runtime.hooks.installed.push(room.lifecycle.onInstalled);
    if (room.lifecycle?.onDeleted) runtime.hooks.deleted.push(room.lifecycle.onDeleted);
  }
  for (const room of rooms) {
    // Registered before starting: a room that fails to start still has the earlier ones stopped.
    if (room.stop) runtime.onClose(room.stop);
    await room.start?.();
  }
  return rooms;
}

export async function registerRooms(
  app: FastifyInstance,
  runtime: Runtime,
  definitions: readonly RoomDefinition[] = ROOMS,
): Promise<Room[]> {
  const rooms = await setupRooms(runtime, definitions);
  for (const room of rooms) if (room.routes) await room.routes(app);
  await app.register(async (ui) => {
    registerAddressBudget(ui, runtime);
    registerUserAuth(ui, runtime);
    registerAccessPolicy(ui);
    registerMemberBudget(ui, runtime);
    for (const room of rooms) if (room.uiRoutes) await room.uiRoutes(ui);
  });
  return rooms;
}
