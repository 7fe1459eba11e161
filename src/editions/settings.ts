import type { SettingDefinition } from './types.js';

/** Settings every edition carries; editions add their own beside these. */
export const bootstrapSettings = (defaults: {
  includeHeavy: boolean;
  includeTimeEntries: boolean;
  maxRps: number;
}): SettingDefinition[] => [
  {
    id: 'run_on_install',
    name: 'Bootstrap on install',
    description: 'Fetch the workspace data as soon as the add-on is installed.',
    type: 'CHECKBOX',
    default: true,
    group: 'bootstrap',
  },
  {
    id: 'include_heavy',
    name: 'Include heavy endpoints',
    description: 'Also fetch reports during bootstrap (the audit log takes a personal API key only, so it is never fetched).',
    type: 'CHECKBOX',
    default: defaults.includeHeavy,
    group: 'bootstrap',
  },
  {
    id: 'include_time_entries',
    name: 'Include time entries',
    description: "Fetch every user's time entries for the chosen number of days.",
    type: 'CHECKBOX',
    default: defaults.includeTimeEntries,
    group: 'bootstrap',
  },
  {
    id: 'time_entry_days_back',
    name: 'Time entry days back',
    description: 'How many days of time entries bootstrap fetches.',
    type: 'NUMBER',
    default: 30,
    min: 1,
    max: 3650,
    group: 'bootstrap',
  },
  {
    id: 'max_rps',
    name: 'Bootstrap requests per second',
    description: 'Budget of background calls to Clockify per second (Clockify allows 50 in all).',
    type: 'NUMBER',
    default: defaults.maxRps,
    min: 1,
    max: 50,
    group: 'bootstrap',
  },
  {
    id: 'max_pages',
    name: 'Maximum pages per operation',
    description: 'Stop paginating an operation after this many pages.',
    type: 'NUMBER',
    default: 1000,
    min: 1,
    max: 100000,
    group: 'bootstrap',
  },
  {
    id: 'cache_ttl_days',
    name: 'Cache lifetime (days)',
    description: 'Cached entities older than this are removed.',
    type: 'NUMBER',
    default: 7,
    min: 1,
    max: 365,
    group: 'bootstrap',
  },
];

export const dataSettings: SettingDefinition[] = [
  {
    id: 'retention_days',
    name: 'Keep history (days)',
    description: 'Webhook events, flow runs and API calls older than this are removed.',
    type: 'NUMBER',
    default: 30,
    min: 1,
    max: 3650,
    group: 'data',
  },
  {
    id: 'delete_data_on_uninstall',
    name: 'Delete data on uninstall',
    description: "Remove this workspace's stored data when the add-on is uninstalled (tokens are always removed).",
    type: 'CHECKBOX',
    default: true,
    group: 'data',
  },
];

/** The accessLevel the manifest declares for a setting (Clockify's default is ADMINS). */
export function settingAccessLevel(setting: Pick<SettingDefinition, 'accessLevel'>): 'ADMINS' | 'EVERYONE' {
  return setting.accessLevel ?? 'ADMINS';
}
