import { initial } from './001-initial.js';
import { bootstrapIndexes } from './002-bootstrap.js';
import { rejectedRequests } from './005-rejected-requests.js';
import type { Migration } from './types.js';

/** Forward-only, applied in order at start-up. Append; never edit a migration that has shipped. */
export const MIGRATIONS: readonly Migration[] = [initial, bootstrapIndexes, rejectedRequests];
export type { Dialect, Migration } from './types.js';
