/**
 * What this workspace can do right now: the edition's capabilities narrowed by the workspace's own
 * settings, with the reason and the way to turn on what is off. The sidebar shows these instead of
 * the edition's list, so it never claims "Flows can call any URL" while the setting says no.
 */
import type { EditionDefinition } from '../editions/types.js';
import { forwardingUrlOf } from '../ingest/forwarding.js';
import { flowTemplatesFor } from '../flows/library.js';
import type { FlowTemplate } from '../flows/library.js';
import { stepKind } from '../flows/steps/registry.js';
import { allSteps } from '../flows/steps/walk.js';

export type CapabilityId = 'customWebhooks' | 'explorerWrites' | 'httpActions' | 'forwarding' | 'heavyBootstrap';

export interface CapabilityState {
  id: CapabilityId;
  label: string;
  /** `on`: usable now; `off`: this edition has it but a setting turns it off; `unavailable`: not in this edition. */
  state: 'on' | 'off' | 'unavailable';
  reason?: string;
  howToEnable?: string;
}

const LABELS: Record<CapabilityId, string> = {
  customWebhooks: 'Webhooks from other systems',
  explorerWrites: 'Explorer can change data (admins)',
  httpActions: 'Flows can call any URL',
  forwarding: 'Events forwarded to your URL',
  heavyBootstrap: 'Reports and audit log in the snapshot',
};

/** The setting that gates a capability, in the words of Clockify's add-on settings screen. */
const GATES: Partial<
  Record<
    CapabilityId,
    { setting: string; settingName: string; isOn: (settings: Record<string, unknown>) => boolean; off: string; enable: string }
  >
> = {
  httpActions: {
    setting: 'enable_http_actions',
    settingName: 'Allow HTTP actions',
    isOn: (settings) => settings.enable_http_actions === true,
    off: 'HTTP actions are off in this workspace, so flows can only call Clockify.',
    enable: 'turn on "Allow HTTP actions"',
  },
  forwarding: {
    setting: 'forwarding_url',
    settingName: 'Forward events to',
    isOn: (settings) => forwardingUrlOf(settings) !== undefined,
    off: 'No forwarding URL is set, so events are not forwarded.',
    enable: 'put an https:// URL in "Forward events to"',
  },
  heavyBootstrap: {
    setting: 'include_heavy',
    settingName: 'Include heavy endpoints',
    isOn: (settings) => settings.include_heavy === true,
    off: 'Reports and the audit log are left out of the snapshot.',
    enable: 'turn on "Include heavy endpoints"',
  },
};

/** Where an admin changes a setting: Clockify owns the add-on's settings screen. */
export function whereToChange(editionName: string, what: string): string {
  return `A workspace admin can ${what} in Clockify: Workspace settings → Integrations (Add-ons) → ${editionName} → Settings.`;
}

export function effectiveCapabilities(
  edition: Pick<EditionDefinition, 'name' | 'capabilities'>,
  settings: Record<string, unknown>,
): CapabilityState[] {
  return (Object.keys(LABELS) as CapabilityId[]).map((id) => {
    const label = LABELS[id];
    if (!edition.capabilities[id]) return { id, label, state: 'unavailable', reason: `${edition.name} does not include this.` };
    const gate = GATES[id];
    if (!gate || gate.isOn(settings)) return { id, label, state: 'on' };
    return { id, label, state: 'off', reason: gate.off, howToEnable: whereToChange(edition.name, gate.enable) };
  });
}

/** Placeholder inputs that let a template build, to read which capabilities its flow needs. */
const SAMPLE_INPUTS: Record<string, unknown> = {
  text: 'x',
  'text-list': ['x'],
  url: 'https://example.com/hook',
  'project-id': 'x',
  'tag-id': 'x',
  number: 1,
  'time-zone': 'UTC',
};

/** Capabilities a template's flow uses (today: HTTP actions), so the gallery can disable it with the reason. */
export function templateNeeds(template: FlowTemplate): CapabilityId[] {
  const inputs = Object.fromEntries(template.requiredInputs.map((input) => [input.name, SAMPLE_INPUTS[input.type]]));
  try {
    const flow = template.build(inputs);
    return allSteps(flow.actions).some(({ step }) => stepKind(step.kind)?.needs === 'httpActions') ? ['httpActions'] : [];
  } catch {
    return [];
  }
}

export function templateRequirements(editionId: EditionDefinition['id']): { templateId: string; needs: CapabilityId[] }[] {
  return flowTemplatesFor(editionId).map((template) => ({ templateId: template.id, needs: templateNeeds(template) }));
}
