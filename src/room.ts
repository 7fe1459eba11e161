import type { FastifyInstance } from 'fastify';
import type { EventConsumer } from './events/consumers.js';
import type { JobHandler } from './jobs/worker.js';
import type { Runtime } from './runtime.js';
import type { AnyDataPolicy, TableExemption } from './storage/data-policy.js';
import type { Migration } from './storage/migrations/types.js';
import type { Tx } from './storage/database.js';

/** Runs inside the lifecycle transaction of an installation change (enqueue a bootstrap, cancel one). */
export type InstallationHook = (trx: Tx, workspaceId: string) => Promise<void>;

/** A consumer of stored events with its place: lower `order` runs first, whichever room declares it. */
export interface OrderedConsumer extends EventConsumer {
  order: number;
}

/**
 * What a room does once it has its services: every part is declared, none is registered by hand.
 * The edition core (src/rooms.ts) collects them — job kinds checked for duplicates across rooms,
 * consumers sorted by `order`, hooks run in the rooms' order, `start` in order and `stop` in reverse.
 */
export interface RoomParts {
  /** Job kinds this room handles; a kind another room also declares stops the edition at start-up. */
  jobs?: Record<string, JobHandler>;
  consumers?: readonly OrderedConsumer[];
  lifecycle?: {
    /** INSTALLED was applied (inside its transaction). */
    onInstalled?: InstallationHook;
    /** DELETED is being applied (inside its transaction, before the installation is marked deleted). */
    onDeleted?: InstallationHook;
  };
  /** Routes Clockify (or another sender) calls. */
  routes?: (app: FastifyInstance) => Promise<void>;
  /** Routes the sidebar calls; they run behind the user-token check and the role rule. */
  uiRoutes?: (ui: FastifyInstance) => Promise<void>;
  /** Timers and other background work, started once every room is set up. */
  start?: () => void | Promise<void>;
  /** Undoes `start` and releases what the room holds; run in reverse order when the edition stops. */
  stop?: () => void | Promise<void>;
}

/**
 * A room: one folder under src/, one capability. What it stores is static (its tables' data
 * policies and its migrations, needed before anything runs); what it does is built by `setup` from
 * the edition's shared services.
 */
export interface RoomDefinition {
  name: string;
  /** One data policy per table the room owns (its `tables.ts`). */
  tables?: readonly AnyDataPolicy[];
  /** Tables of the room that hold no workspace data, with the reason. */
  exemptions?: readonly TableExemption[];
  /** Its migrations (its `migrations/` folder), applied with every other room's in NNN order. */
  migrations?: readonly Migration[];
  setup(runtime: Runtime): RoomParts;
}

/** A set-up room. */
export interface Room extends RoomParts {
  name: string;
}

/** Declares a room; only a typed identity, so the declaration reads as what it is. */
export function defineRoom(definition: RoomDefinition): RoomDefinition {
  return definition;
}
