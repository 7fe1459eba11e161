import { tablePolicy } from '../storage/data-policy.js';

/** The lifecycle room's data: installations and the webhooks registered for them. */
export const LIFECYCLE_TABLES = [
  tablePolicy({
    table: 'installations',
    room: 'lifecycle',
    key: ['workspace_id'],
    workspaceColumn: 'workspace_id',
    // Tokens are wiped at uninstall; the DELETED row stays so replayed or late lifecycle events are recognised.
    onUninstall: { keep: 'the DELETED row (no token) lets replayed lifecycle events be recognised and ignored' },
    retention: { class: 'kept', reason: 'one row per workspace ever installed' },
  }),
  tablePolicy({
    table: 'webhook_registrations',
    room: 'lifecycle',
    key: ['id'],
    workspaceColumn: 'workspace_id',
    onUninstall: 'purge',
    retention: { class: 'kept', reason: 'one row per workspace and event' },
  }),
];
