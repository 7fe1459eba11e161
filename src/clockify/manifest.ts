import { eventSlug } from '../editions/events.js';
import type { EditionDefinition, SettingDefinition, SettingValue } from '../editions/types.js';
import { settingAccessLevel } from '../editions/settings.js';

export const LIFECYCLE_PATHS = {
  INSTALLED: '/lifecycle/installed',
  DELETED: '/lifecycle/deleted',
  SETTINGS_UPDATED: '/lifecycle/settings-updated',
  STATUS_CHANGED: '/lifecycle/status-changed',
} as const;

export const ICON_PATH = '/icon.svg';

/** Route of an event's webhook: each event has its own path, so the per-webhook token Clockify sends at install maps back to its event. */
export function webhookPath(event: string): string {
  return `/webhooks/clockify/${eventSlug(event as never)}`;
}

const GROUP_TITLES: Record<SettingDefinition['group'], string> = {
  bootstrap: 'Workspace bootstrap',
  webhooks: 'Webhooks',
  flows: 'Flows',
  data: 'Data and retention',
};

export interface ManifestInput {
  edition: EditionDefinition;
  key: string;
  baseUrl: string;
  settingDefaults?: Record<string, SettingValue>;
}

/** Pure: the Clockify manifest of an edition at a public base URL. */
export function buildManifest({ edition, key, baseUrl, settingDefaults = {} }: ManifestInput): Record<string, unknown> {
  const groups = (Object.keys(GROUP_TITLES) as SettingDefinition['group'][])
    .map((group) => ({
      id: group,
      title: GROUP_TITLES[group],
      settings: edition.settings
        .filter((setting) => setting.group === group)
        .map((setting) => manifestSetting(setting, settingDefaults[setting.id])),
    }))
    .filter((group) => group.settings.length > 0);

  return {
    schemaVersion: edition.schemaVersion,
    key,
    name: edition.name,
    description: edition.description,
    baseUrl: baseUrl.replace(/\/+$/, ''),
    iconPath: ICON_PATH,
    minimalSubscriptionPlan: edition.minimalPlan,
    scopes: [...edition.scopes],
    lifecycle: (Object.keys(LIFECYCLE_PATHS) as (keyof typeof LIFECYCLE_PATHS)[]).map((type) => ({ type, path: LIFECYCLE_PATHS[type] })),
    webhooks: edition.manifestEvents.map((event) => ({ event, path: webhookPath(event) })),
    components: edition.components.map((component) => ({ ...component, iconPath: ICON_PATH })),
    settings: { tabs: [{ id: 'settings', name: 'Settings', groups }] },
  };
}

function manifestSetting(setting: SettingDefinition, value: SettingValue | undefined): Record<string, unknown> {
  return {
    id: setting.id,
    name: setting.name,
    description: setting.description,
    type: setting.type,
    value: value ?? setting.default,
    accessLevel: settingAccessLevel(setting),
    ...(setting.allowedValues ? { allowedValues: setting.allowedValues } : {}),
  };
}
