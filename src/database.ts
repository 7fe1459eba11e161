import { openDatabase as openStorage } from './storage/database.js';
import type { Database, OpenDatabaseOptions } from './storage/database.js';
import { MIGRATIONS } from './rooms.js';

/** Opens an edition's database and brings it to every room's latest migration (unless `migrate: false`). */
export function openDatabase(url: string, options: Omit<OpenDatabaseOptions, 'migrations'> = {}): Promise<Database> {
  return openStorage(url, { ...options, migrations: MIGRATIONS });
}
