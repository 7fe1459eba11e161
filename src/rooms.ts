import type { FastifyInstance } from 'fastify';
import { bootstrapRoom } from './bootstrap/index.js';
import { credentialsRoom } from './credentials/index.js';
import { explorerRoom } from './explorer/index.js';
import { flowsRoom } from './flows/index.js';
import { ingestRoom } from './ingest/index.js';
import { lifecycleRoom } from './lifecycle/index.js';
import { reconcileRoom } from './reconcile/index.js';
import { retentionRoom } from './retention/index.js';
import type { Room } from './room.js';
import type { Runtime } from './runtime.js';
import { registerAccessPolicy } from './server/access-policy.js';
import { registerAddressBudget, registerMemberBudget } from './server/cost-budget.js';
import { compatRoom } from './server/compat-room.js';
import { registerUserAuth } from './server/user-auth.js';
import { webUiRoom } from './web-ui/index.js';

/** Every capability of an edition, in one list: adding one is one line here. */
export function createRooms(runtime: Runtime): Room[] {
  return [lifecycleRoom(runtime), ingestRoom(runtime), bootstrapRoom(runtime), explorerRoom(runtime), credentialsRoom(runtime), flowsRoom(runtime), reconcileRoom(runtime), retentionRoom(runtime), webUiRoom(runtime), compatRoom(runtime)];
}

export async function registerRooms(app: FastifyInstance, runtime: Runtime): Promise<void> {
  const rooms = createRooms(runtime);
  for (const room of rooms) if (room.routes) await room.routes(app);
  await app.register(async (ui) => {
    registerAddressBudget(ui, runtime);
    registerUserAuth(ui, runtime);
    registerAccessPolicy(ui);
    registerMemberBudget(ui, runtime);
    for (const room of rooms) if (room.uiRoutes) await room.uiRoutes(ui);
  });
}
