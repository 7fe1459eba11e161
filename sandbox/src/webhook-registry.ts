/** Every webhook registration of every workspace: manifest webhooks (ADDON) and REST-created ones. */
export interface WebhookRegistration {
  id: string;
  workspaceId: string;
  event: string;
  url: string;
  /** Sent as `Clockify-Signature` on every delivery of this webhook. */
  authToken: string;
  origin: 'ADDON' | 'USER_CREATED';
  /** The installation that owns it (manifest webhook, or created with its token). */
  addonId: string;
  name: string;
  userId: string;
  triggerSourceType: string;
  triggerSource: string[];
  enabled: boolean;
}

/** What an event is about, to match REST webhooks' `triggerSourceType`/`triggerSource`. */
export interface TriggerContext {
  projectId?: string | null;
  userId?: string | null;
  taskId?: string | null;
  tagIds?: string[];
}

export class WebhookRegistry {
  private readonly byId = new Map<string, WebhookRegistration>();

  add(registration: WebhookRegistration): void {
    this.byId.set(registration.id, registration);
  }

  get(id: string): WebhookRegistration | undefined {
    return this.byId.get(id);
  }

  remove(id: string): WebhookRegistration | undefined {
    const found = this.byId.get(id);
    this.byId.delete(id);
    return found;
  }

  removeForAddon(addonId: string): void {
    for (const [id, reg] of this.byId) if (reg.addonId === addonId) this.byId.delete(id);
  }

  inWorkspace(workspaceId: string): WebhookRegistration[] {
    return [...this.byId.values()].filter((r) => r.workspaceId === workspaceId);
  }

  ofAddon(addonId: string): WebhookRegistration[] {
    return [...this.byId.values()].filter((r) => r.addonId === addonId);
  }

  /** Enabled registrations of an event in a workspace whose trigger source matches. */
  matching(workspaceId: string, event: string, trigger: TriggerContext | undefined): WebhookRegistration[] {
    return this.inWorkspace(workspaceId).filter((r) => r.event === event && r.enabled && triggerMatches(r, trigger));
  }
}

export function triggerMatches(reg: WebhookRegistration, trigger: TriggerContext | undefined): boolean {
  if (reg.origin === 'ADDON' || reg.triggerSource.length === 0 || reg.triggerSourceType === 'WORKSPACE_ID') return true;
  if (!trigger) return true;
  const sources = new Set(reg.triggerSource);
  switch (reg.triggerSourceType) {
    case 'PROJECT_ID':
      return trigger.projectId != null && sources.has(trigger.projectId);
    case 'USER_ID':
      return trigger.userId != null && sources.has(trigger.userId);
    case 'TASK_ID':
      return trigger.taskId != null && sources.has(trigger.taskId);
    case 'TAG_ID':
      return (trigger.tagIds ?? []).some((id) => sources.has(id));
    default:
      return true;
  }
}
