/**
 * The time zone a schedule runs in when its flow names none: the workspace's. Clockify has no
 * workspace time zone as such; the nearest are the workspace's lock time zone
 * (`workspaceSettings.lockTimeZone`, set when timesheets are locked by a zone) and the time zone
 * in the profile of the admin who saves the flow (`settings.timeZone` of GET /v1/user). The first
 * valid one is written into the flow when it is saved, so it stays what the editor showed; UTC when
 * Clockify names neither or cannot be reached.
 */
import { callOperation } from '../lifecycle/workspace-api.js';
import type { Runtime } from '../runtime.js';
import type { UserContext } from '../lifecycle/user-auth.js';
import type { FlowDefinition } from './model.js';
import { isTimeZone } from './schedule.js';

const TTL_MS = 60 * 60 * 1000;
const MAX_CACHED = 5_000;

const zoneName = (value: unknown): string | undefined =>
  typeof value === 'string' && value.length > 0 && value.length <= 64 && isTimeZone(value) ? value : undefined;

/** Pure: the zone from a workspace and a user as Clockify returns them (either may be missing). */
export function timeZoneOf(workspace: unknown, user: unknown): string {
  const settings = (value: unknown, key: string) =>
    value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  return (
    zoneName(settings(settings(workspace, 'workspaceSettings'), 'lockTimeZone')) ??
    zoneName(settings(settings(user, 'settings'), 'timeZone')) ??
    'UTC'
  );
}

export class WorkspaceTimeZones {
  private readonly cache = new Map<string, { zone: string; until: number }>();

  constructor(private readonly runtime: Runtime) {}

  /** The zone for this user's workspace (cached an hour per user); never throws. */
  async of(user: UserContext): Promise<string> {
    const key = `${user.workspaceId}:${user.userId}`;
    const cached = this.cache.get(key);
    if (cached && cached.until > this.runtime.now()) return cached.zone;
    const [workspace, profile] = await Promise.all([this.read('getWorkspaceOfUser', user), this.read('getLoggedUser', user)]);
    const zone = timeZoneOf(workspace, profile);
    if (this.cache.size >= MAX_CACHED) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(key, { zone, until: this.runtime.now() + TTL_MS });
    return zone;
  }

  /** A schedule trigger without a zone gets the workspace's; anything else is returned as it is. */
  async fill(user: UserContext, definition: FlowDefinition): Promise<FlowDefinition> {
    if (definition.trigger.kind !== 'schedule' || definition.trigger.timeZone) return definition;
    return { ...definition, trigger: { ...definition.trigger, timeZone: await this.of(user) } };
  }

  private async read(operationId: string, user: UserContext): Promise<unknown> {
    const operation = this.runtime.catalog.get(operationId);
    if (!operation) return undefined;
    try {
      const { response } = await callOperation(this.runtime, {
        workspaceId: user.workspaceId,
        operation,
        input: { params: operationId === 'getWorkspaceOfUser' ? { workspaceId: user.workspaceId } : {} },
        token: user.token,
        userId: user.userId,
        source: 'system',
        lane: 'interactive',
        throwOnHttpError: false,
      });
      return response.status < 300 ? response.body : undefined;
    } catch (error) {
      this.runtime.logger.debug({ err: error, operationId }, 'time zone unavailable from Clockify; UTC is used');
      return undefined;
    }
  }
}
