import { loadConfig } from '../config/index.js';
import { getEdition } from '../editions/index.js';
import { editionArg, locate, parse } from './args.js';
import type { Output } from './output.js';
import { UsageError, UserError } from './output.js';
import type { SandboxInfo } from './sandbox-client.js';

interface SettingEntry {
  id: string;
  name: string;
  type?: string;
  value: unknown;
}

interface SettingsTree {
  tabs: { settings?: SettingEntry[]; groups?: { settings?: SettingEntry[] }[] }[];
}

const flatten = (tree: SettingsTree): SettingEntry[] =>
  tree.tabs.flatMap((tab) => [...(tab.settings ?? []), ...(tab.groups ?? []).flatMap((group) => group.settings ?? [])]);

/** Text from the command line as the value Clockify's settings screen would store for that type of setting. */
export function settingValue(setting: SettingEntry, raw: string): unknown {
  switch (setting.type) {
    case 'CHECKBOX':
      if (!/^(true|false)$/i.test(raw)) throw new UsageError(`${setting.id} is a checkbox: use ${setting.id}=true or ${setting.id}=false`);
      return raw.toLowerCase() === 'true';
    case 'NUMBER': {
      const number = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(number)) throw new UsageError(`${setting.id} is a number, got "${raw}"`);
      return number;
    }
    case 'USER_DROPDOWN_MULTIPLE':
      return raw
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean);
    default:
      return raw;
  }
}

/** `settings <edition> [ID=VALUE …]`: shows, or changes as Clockify's settings screen would (SETTINGS_UPDATED reaches the add-on). */
export async function showOrChangeSettings(args: string[], out: Output): Promise<number> {
  const { values, positionals } = parse(args, { workspace: { type: 'string' } });
  const edition = editionArg(positionals[0]);
  const assignments = positionals.slice(1);
  const where = locate(values);
  const key = loadConfig().editions[edition].key;
  const name = getEdition(edition).name;
  const info = await where.sandbox.control<SandboxInfo>('info');
  const workspaceId = (values['workspace'] as string | undefined) ?? info.workspaces[0]?.id;
  const installation = info.installations.find((i) => i.addonKey === key && i.workspaceId === workspaceId);
  if (!installation)
    throw new UserError(`${name} is not installed in workspace ${workspaceId}; install it first: npm run cli -- install ${edition}`);
  // What Clockify shows on its settings screen: the stored values, read as the workspace owner.
  const { token } = await where.sandbox.control<{ token: string }>('token', { addonKey: key, workspaceId });
  const tree = await where.sandbox.api<SettingsTree>(token, `/addon/workspaces/${workspaceId}/settings`);
  const settings = flatten(tree);

  if (assignments.length === 0) {
    out.result(
      { workspaceId, settings: settings.map(({ id, name: label, type, value }) => ({ id, name: label, type, value })) },
      [
        `${name} settings in workspace ${workspaceId} (change one: npm run cli -- settings ${edition} ID=VALUE):`,
        ...settings.map((s) => `  ${s.id.padEnd(26)} ${JSON.stringify(s.value).padEnd(12)} ${s.name}`),
      ].join('\n'),
    );
    return 0;
  }

  const changes: Record<string, unknown> = {};
  for (const assignment of assignments) {
    const match = /^([A-Za-z0-9_.-]+)=(.*)$/s.exec(assignment);
    if (!match) throw new UsageError(`expected SETTING=VALUE, got "${assignment}"`);
    const setting = settings.find((s) => s.id === match[1]);
    if (!setting) throw new UsageError(`${name} has no setting "${match[1]}"; it has: ${settings.map((s) => s.id).join(', ')}`);
    changes[setting.id] = settingValue(setting, match[2]!);
  }
  const result = await where.sandbox.control<{ status?: number; error?: string; body?: { detail?: string } }>('settings', {
    addonKey: key,
    workspaceId,
    values: changes,
  });
  const ok = result.status !== undefined && result.status >= 200 && result.status < 300;
  if (!ok) throw new UserError(`${name} refused the settings: ${result.body?.detail ?? result.error ?? `it answered ${result.status}`}`);
  out.result(
    { workspaceId, changed: changes, status: result.status },
    `${name} in workspace ${workspaceId}: ${Object.entries(changes)
      .map(([id, value]) => `${id} = ${JSON.stringify(value)}`)
      .join(', ')} (the add-on answered ${result.status})`,
  );
  return 0;
}
