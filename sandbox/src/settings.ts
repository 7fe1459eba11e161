/** Structured add-on settings (manifest `settings.tabs`): Clockify stores the values; so does the sandbox. */

export interface SettingEntry {
  id: string;
  name: string;
  type?: string;
  value: unknown;
  [key: string]: unknown;
}

export interface SettingsTree {
  tabs: Array<{ id?: string; name?: string; settings?: SettingEntry[]; groups?: Array<{ settings?: SettingEntry[] }> }>;
}

/** The structured settings of a manifest (a deep copy), or undefined for none / a custom settings page. */
export function settingsFromManifest(manifest: Record<string, unknown>, installerUserId: string): SettingsTree | undefined {
  const settings = manifest['settings'];
  if (typeof settings !== 'object' || settings === null || !Array.isArray((settings as SettingsTree).tabs)) return undefined;
  const tree = structuredClone(settings) as SettingsTree;
  for (const entry of allSettings(tree)) {
    // "The value will be the user ID of the installer upon installation" (structured-settings docs).
    if (entry.type === 'USER_DROPDOWN_SINGLE' && !entry.value) entry.value = installerUserId;
    if (entry.type === 'USER_DROPDOWN_MULTIPLE' && (!Array.isArray(entry.value) || entry.value.length === 0))
      entry.value = [installerUserId];
  }
  return tree;
}

export function allSettings(tree: SettingsTree): SettingEntry[] {
  const out: SettingEntry[] = [];
  for (const tab of tree.tabs) {
    for (const s of tab.settings ?? []) out.push(s);
    for (const group of tab.groups ?? []) for (const s of group.settings ?? []) out.push(s);
  }
  return out;
}

/** Sets values by setting id; throws on an id the manifest does not declare. */
export function applySettingValues(tree: SettingsTree, values: Record<string, unknown>): void {
  const byId = new Map(allSettings(tree).map((s) => [s.id, s]));
  for (const id of Object.keys(values)) {
    if (!byId.has(id)) throw new UnknownSettingError(id);
  }
  for (const [id, value] of Object.entries(values)) (byId.get(id) as SettingEntry).value = value;
}

/** The SETTINGS_UPDATED body's `settings` list. */
export function settingsPayload(tree: SettingsTree): Array<{ id: string; name: string; value: unknown }> {
  return allSettings(tree).map((s) => ({ id: s.id, name: s.name, value: s.value }));
}

export class UnknownSettingError extends Error {
  constructor(readonly settingId: string) {
    super(`Unknown setting id: ${settingId}`);
  }
}
