import { CLOCKIFY_EVENTS, CLOCKIFY_SCOPES } from './events.js';
import { bootstrapSettings, dataSettings } from './settings.js';
import type { EditionDefinition } from './types.js';

/** The ten events the manifest itself carries: the busiest ones, so they keep working even if REST registration is refused. */
export const busiestManifestEvents = [
  'NEW_TIME_ENTRY',
  'NEW_TIMER_STARTED',
  'TIMER_STOPPED',
  'TIME_ENTRY_UPDATED',
  'TIME_ENTRY_DELETED',
  'NEW_PROJECT',
  'NEW_TASK',
  'NEW_CLIENT',
  'NEW_TAG',
  'USER_JOINED_WORKSPACE',
] as const;

export const universalWebhook: EditionDefinition = {
  id: 'universal-webhook',
  key: 'clockify-universal-webhook',
  name: 'Universal Webhook',
  description: 'Every Clockify event and webhooks from any other system, turned into flows that call Clockify or any HTTP endpoint.',
  envPrefix: 'UW',
  minimalPlan: 'ENTERPRISE',
  schemaVersion: '1.3',
  scopes: [...CLOCKIFY_SCOPES],
  events: [...CLOCKIFY_EVENTS],
  manifestEvents: [...busiestManifestEvents],
  components: [{ type: 'sidebar', accessLevel: 'EVERYONE', path: '/sidebar', label: 'Universal Webhook' }],
  settings: [
    ...bootstrapSettings({ includeHeavy: true, includeTimeEntries: true, maxRps: 25 }),
    ...dataSettings,
    {
      id: 'enable_http_actions',
      name: 'Allow HTTP actions',
      description: 'Let flows send requests to other systems (private and loopback addresses stay blocked).',
      type: 'CHECKBOX',
      default: false,
      group: 'flows',
      accessLevel: 'ADMINS',
    },
  ],
  capabilities: { customWebhooks: true, explorerWrites: true, httpActions: true, forwarding: false, heavyBootstrap: true },
  defaultPort: 8001,
  defaultDbFile: 'universal_webhook.db',
  dbUrlEnv: 'UNIVERSAL_WEBHOOK_DB_URL',
  baseUrlEnv: 'UNIVERSAL_WEBHOOK_BASE_URL',
};
