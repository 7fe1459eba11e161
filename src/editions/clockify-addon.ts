import { CLOCKIFY_EVENTS, CLOCKIFY_SCOPES } from './events.js';
import { bootstrapSettings, dataSettings } from './settings.js';
import type { EditionDefinition } from './types.js';
import { busiestManifestEvents } from './universal-webhook.js';

export const clockifyAddon: EditionDefinition = {
  id: 'clockify-addon',
  key: 'clockify-addon',
  name: 'Clockify Add-on',
  description: 'The reference add-on: full lifecycle, every event and scope, universal bootstrap and event forwarding.',
  envPrefix: 'CLOCKIFY_ADDON',
  minimalPlan: 'ENTERPRISE',
  schemaVersion: '1.4',
  scopes: [...CLOCKIFY_SCOPES],
  events: [...CLOCKIFY_EVENTS],
  manifestEvents: [...busiestManifestEvents],
  components: [{ type: 'sidebar', accessLevel: 'EVERYONE', path: '/sidebar', label: 'Clockify Add-on' }],
  settings: [
    ...bootstrapSettings({ includeHeavy: false, includeTimeEntries: true, maxRps: 25 }),
    ...dataSettings,
    {
      id: 'forwarding_url',
      name: 'Forward events to',
      description:
        'Every received event is relayed to this http(s) URL, signed with Standard Webhooks headers. "disabled" (or anything that is not a URL) turns forwarding off.',
      type: 'TXT',
      default: 'disabled',
      group: 'webhooks',
      accessLevel: 'ADMINS',
    },
  ],
  capabilities: { customWebhooks: false, explorerWrites: true, httpActions: false, forwarding: true, heavyBootstrap: true },
  defaultPort: 8002,
  defaultDbFile: 'clockify_addon.db',
  dbUrlEnv: 'DATABASE_URL',
  baseUrlEnv: 'CLOCKIFY_ADDON_BASE_URL',
};
