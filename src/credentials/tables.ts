import { tablePolicy } from '../storage/data-policy.js';

/** The credentials room's data: named secrets of a workspace for HTTP actions (sealed values). */
export const CREDENTIALS_TABLES = [
  tablePolicy({
    table: 'credentials',
    room: 'credentials',
    key: ['id'],
    workspaceColumn: 'workspace_id',
    onUninstall: 'purge',
    retention: { class: 'kept', reason: 'a handful of named credentials per workspace, removed by an admin' },
  }),
];
