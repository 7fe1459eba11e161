import { loadConfig } from '../config/index.js';
import { EDITIONS } from '../editions/index.js';
import { readResourceJson } from '../resources.js';
import { editionArg, locate, parse, readJsonFile } from './args.js';
import { readLastTrigger, writeLastTrigger } from './demo-state.js';
import { freshPayload, TIME_ENTRY_EVENTS } from './fresh-event.js';
import type { WorkspaceSnapshot } from './fresh-event.js';
import type { Output } from './output.js';
import { UsageError, UserError } from './output.js';
import type { SandboxClient, SandboxInfo } from './sandbox-client.js';

interface DeliveryAnswer {
  url: string;
  addonKey?: string;
  state?: string;
  status?: number;
  error?: string;
  responseBody?: string;
}

/** `trigger <EVENT>`: a fresh event each time (or the last one again with --replay), and what each edition answered. */
export async function runTrigger(args: string[], out: Output): Promise<number> {
  const { values, positionals } = parse(args, {
    payload: { type: 'string' },
    workspace: { type: 'string' },
    edition: { type: 'string' },
    replay: { type: 'boolean' },
  });
  const where = locate(values);
  const config = loadConfig();
  const addonKey = values['edition'] ? config.editions[editionArg(values['edition'] as string)].key : undefined;
  if (values['replay'] && values['payload']) throw new UsageError('--replay and --payload exclude each other');

  let event: string;
  let payload: unknown;
  let workspaceId: string;
  if (values['replay']) {
    const last = readLastTrigger(where.dataDir);
    if (!last) throw new UserError('nothing to replay yet: trigger an event first, e.g. npm run cli -- trigger NEW_TIME_ENTRY');
    if (positionals[0] && positionals[0] !== last.event)
      throw new UsageError(`the last event sent was ${last.event}, not ${positionals[0]}`);
    ({ event, payload, workspaceId } = last);
  } else {
    event = positionals[0] ?? '';
    if (!/^[A-Z_]+$/.test(event)) throw new UsageError('name a Clockify event, e.g. npm run cli -- trigger NEW_TIME_ENTRY');
    const info = await where.sandbox.control<SandboxInfo>('info');
    const workspace = values['workspace'] ? info.workspaces.find((ws) => ws.id === values['workspace']) : info.workspaces[0];
    if (!workspace) throw new UserError(`the sandbox has no workspace ${values['workspace']}`);
    workspaceId = workspace.id;
    payload = values['payload'] ? readJsonFile(values['payload'] as string) : await generate(where.sandbox, info, workspaceId, event);
  }

  const { deliveries } = await where.sandbox.control<{ deliveries: DeliveryAnswer[] }>('trigger', {
    event,
    payload,
    workspaceId,
    ...(addonKey ? { addonKey } : {}),
  });
  writeLastTrigger(where.dataDir, { event, payload, workspaceId, ...(addonKey ? { addonKey } : {}) });
  const id = (payload as { id?: unknown } | null)?.id;
  const lines = deliveries.map((delivery) => `  ${editionName(delivery.addonKey).padEnd(18)} ${answerOf(delivery)}`);
  out.result(
    { event, workspaceId, payload, deliveries },
    deliveries.length === 0
      ? `${event}: no installed edition subscribes to it in workspace ${workspaceId} (install one: npm run cli -- install api-studio)`
      : [
          `${event}${typeof id === 'string' ? ` ${id}` : ''}${values['replay'] ? ' (replayed)' : ''} → ${deliveries.length} webhook${deliveries.length === 1 ? '' : 's'}`,
          ...lines,
        ].join('\n'),
  );
  return deliveries.length > 0 && deliveries.every((delivery) => delivery.state !== 'FAILED') ? 0 : 1;
}

function editionName(addonKey: string | undefined): string {
  const config = loadConfig();
  return EDITIONS.find((edition) => config.editions[edition.id].key === addonKey)?.name ?? addonKey ?? 'add-on';
}

/** "accepted (event …)", "duplicate (already stored as …)" or the failure, from the add-on's answer. */
function answerOf(delivery: DeliveryAnswer): string {
  let body: { status?: string; eventId?: string; detail?: string } = {};
  try {
    body = delivery.responseBody ? JSON.parse(delivery.responseBody) : {};
  } catch {
    // not JSON
  }
  if (delivery.state === 'FAILED' || (delivery.status !== undefined && delivery.status >= 300)) {
    return `failed: ${delivery.status ?? ''} ${body.detail ?? delivery.error ?? ''}`.trim();
  }
  if (body.status === 'duplicate') return `duplicate (already stored as event ${body.eventId}; nothing new)`;
  if (body.status === 'accepted') return `accepted, stored as event ${body.eventId}`;
  return `answered ${delivery.status ?? delivery.state ?? '?'}`;
}

/** Reads the workspace through the sandbox's REST API as its owner, then builds a new event from it. */
async function generate(sandbox: SandboxClient, info: SandboxInfo, workspaceId: string, event: string): Promise<unknown> {
  const installation = info.installations.find((i) => i.workspaceId === workspaceId && i.status === 'ACTIVE');
  if (!installation)
    throw new UserError(`nothing is installed in workspace ${workspaceId}; install an edition first: npm run cli -- install api-studio`);
  const { token } = await sandbox.control<{ token: string }>('token', { addonKey: installation.addonKey, workspaceId });
  const base = `/v1/workspaces/${workspaceId}`;
  const [users, projects, tags] = await Promise.all([
    sandbox.api<{ id: string; name: string }[]>(token, `${base}/users?page-size=50`),
    sandbox.api<{ id: string; name: string; clientId?: string; clientName?: string }[]>(token, `${base}/projects?page-size=50`),
    sandbox.api<{ id: string; name: string }[]>(token, `${base}/tags?page-size=50`),
  ]);
  const snapshot: WorkspaceSnapshot = { workspaceId, users, projects, tags };
  if (TIME_ENTRY_EVENTS.has(event)) {
    // A real entry of a random user is the model: its project, task, tags and user are consistent.
    for (const user of [...users].sort(() => Math.random() - 0.5)) {
      const entries = await sandbox.api<Record<string, unknown>[]>(
        token,
        `${base}/user/${user.id}/time-entries?hydrated=true&page-size=20`,
      );
      const finished = entries.filter((entry) => (entry['timeInterval'] as { end?: unknown } | undefined)?.end);
      if (finished.length > 0) {
        snapshot.timeEntry = finished[Math.floor(Math.random() * finished.length)];
        break;
      }
    }
  }
  const samples = readResourceJson<Record<string, unknown>>('clockify', 'webhook-samples.json');
  return freshPayload(event, samples[event] ?? { workspaceId }, snapshot);
}
