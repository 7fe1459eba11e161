import { initial } from './001-initial.js';
import type { Migration } from './types.js';

/**
 * The base schema every room started from. A room's later migrations live in its own folder
 * (src/<room>/migrations/NNN-name.ts, listed in its room definition); src/database.ts collects them
 * all and Kysely's Migrator applies them in NNN order. Forward-only: never edit one that has shipped.
 */
export const STORAGE_MIGRATIONS: readonly Migration[] = [initial];
export type { Dialect, Migration } from './types.js';
