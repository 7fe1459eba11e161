import type { EditionDefinition, SettingDefinition, SettingValue } from '../editions/types.js';
import type { DomainFieldError } from '../errors/domain-error.js';

export type WorkspaceSettings = Record<string, SettingValue>;

/** Environment defaults overlaid by what the workspace chose in Clockify. */
export function effectiveSettings(edition: EditionDefinition, defaults: WorkspaceSettings, stored: WorkspaceSettings): WorkspaceSettings {
  const result: WorkspaceSettings = {};
  for (const setting of edition.settings) result[setting.id] = stored[setting.id] ?? defaults[setting.id] ?? setting.default;
  return result;
}

/**
 * Turns Clockify's `[{id, value}]` into typed values. Clockify renders the form, but values arrive as
 * whatever its UI produced ("25" for a number, "true" for a checkbox), so they are coerced here;
 * a value that cannot be coerced is a problem naming the setting. Unknown ids are ignored.
 */
export function parseSettingsUpdate(
  edition: EditionDefinition,
  entries: { id: string; value?: unknown }[],
): { values: WorkspaceSettings; problems: DomainFieldError[] } {
  const values: WorkspaceSettings = {};
  const problems: DomainFieldError[] = [];
  entries.forEach((entry, index) => {
    const definition = edition.settings.find((setting) => setting.id === entry.id);
    if (!definition) return;
    const coerced = coerceSetting(definition, entry.value);
    if (coerced.ok) values[definition.id] = coerced.value;
    else problems.push({ field: `settings[${index}].value`, message: `${definition.id}: ${coerced.message}` });
  });
  return { values, problems };
}

export function coerceSetting(
  definition: SettingDefinition,
  raw: unknown,
): { ok: true; value: SettingValue } | { ok: false; message: string } {
  switch (definition.type) {
    case 'CHECKBOX': {
      if (typeof raw === 'boolean') return { ok: true, value: raw };
      if (raw === 'true' || raw === 'false') return { ok: true, value: raw === 'true' };
      return { ok: false, message: 'expected true or false' };
    }
    case 'NUMBER': {
      const value = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
      if (!Number.isFinite(value)) return { ok: false, message: 'expected a number' };
      if (definition.min !== undefined && value < definition.min) return { ok: false, message: `must be at least ${definition.min}` };
      if (definition.max !== undefined && value > definition.max) return { ok: false, message: `must be at most ${definition.max}` };
      return { ok: true, value };
    }
    case 'DROPDOWN_MULTIPLE': {
      if (!Array.isArray(raw) || raw.some((item) => typeof item !== 'string')) return { ok: false, message: 'expected a list of strings' };
      const unknown = raw.filter((item) => definition.allowedValues && !definition.allowedValues.includes(item));
      if (unknown.length > 0) return { ok: false, message: `not allowed: ${unknown.join(', ')}` };
      return { ok: true, value: raw as string[] };
    }
    default: {
      if (raw === null || raw === undefined) return { ok: true, value: '' };
      if (typeof raw !== 'string' && typeof raw !== 'number') return { ok: false, message: 'expected text' };
      const value = String(raw);
      if (value.length > 2000) return { ok: false, message: 'longer than 2000 characters' };
      if (definition.allowedValues && value !== '' && !definition.allowedValues.includes(value))
        return { ok: false, message: `must be one of ${definition.allowedValues.join(', ')}` };
      return { ok: true, value };
    }
  }
}
