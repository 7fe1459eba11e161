import type { FastifyInstance } from 'fastify';

/**
 * A room is one capability: it registers its job handlers and hooks when created, and hands back
 * the routes Clockify calls (`routes`) and the routes the sidebar calls (`uiRoutes`, which run
 * behind the user-token check).
 */
export interface Room {
  name: string;
  routes?: (app: FastifyInstance) => Promise<void>;
  uiRoutes?: (ui: FastifyInstance) => Promise<void>;
}
