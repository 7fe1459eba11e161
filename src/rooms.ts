import type { FastifyInstance } from 'fastify';
import type { Runtime } from './runtime.js';

/** Every room's routes and job handlers, in one list so adding a capability is one line. */
export async function registerRooms(app: FastifyInstance, runtime: Runtime): Promise<void> {
  void app;
  void runtime;
}
