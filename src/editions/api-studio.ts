import { bootstrapSettings, dataSettings } from './settings.js';
import type { EditionDefinition } from './types.js';

export const apiStudio: EditionDefinition = {
  id: 'api-studio',
  key: 'clockify-api-studio',
  name: 'API Studio',
  description: 'Explore the Clockify API safely, keep a local snapshot of your workspace and automate it with no-code flows.',
  envPrefix: 'API_STUDIO',
  minimalPlan: 'STANDARD',
  schemaVersion: '1.3',
  scopes: [
    'WORKSPACE_READ', 'USER_READ', 'PROJECT_READ', 'PROJECT_WRITE', 'CLIENT_READ', 'CLIENT_WRITE', 'TAG_READ',
    'TAG_WRITE', 'TASK_READ', 'TASK_WRITE', 'TIME_ENTRY_READ', 'TIME_ENTRY_WRITE', 'CUSTOM_FIELDS_READ', 'GROUP_READ',
  ],
  events: [
    'NEW_TIME_ENTRY', 'TIME_ENTRY_UPDATED', 'TIME_ENTRY_DELETED',
    'NEW_PROJECT', 'PROJECT_UPDATED', 'PROJECT_DELETED',
    'NEW_CLIENT', 'CLIENT_UPDATED', 'CLIENT_DELETED',
    'NEW_TAG', 'TAG_UPDATED', 'TAG_DELETED',
  ],
  manifestEvents: ['NEW_TIME_ENTRY', 'TIME_ENTRY_UPDATED', 'TIME_ENTRY_DELETED', 'NEW_PROJECT', 'NEW_CLIENT', 'NEW_TAG'],
  components: [{ type: 'sidebar', accessLevel: 'EVERYONE', path: '/sidebar', label: 'API Studio' }],
  settings: [...bootstrapSettings({ includeHeavy: false, includeTimeEntries: false, maxRps: 25 }), ...dataSettings],
  capabilities: { customWebhooks: false, explorerWrites: false, httpActions: false, forwarding: false, heavyBootstrap: false },
  defaultPort: 8000,
  defaultDbFile: 'api_studio.db',
  dbUrlEnv: 'API_STUDIO_DB_URL',
  baseUrlEnv: 'API_STUDIO_BASE_URL',
};
