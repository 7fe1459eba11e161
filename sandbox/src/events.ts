import type { DeliveryLog, Delivery } from './deliveries.js';
import type { InstallationService } from './installations.js';
import type { TriggerContext, WebhookRegistry } from './webhook-registry.js';

/** Sends an event to every matching webhook registration of a workspace, like Clockify does. */
export class EventDispatcher {
  constructor(
    private readonly registry: WebhookRegistry,
    private readonly installations: InstallationService,
    private readonly deliveries: DeliveryLog,
  ) {}

  dispatch(
    workspaceId: string,
    event: string,
    payload: unknown,
    options: { trigger?: TriggerContext; addonKey?: string } = {},
  ): Promise<Delivery[]> {
    const targets = this.registry.matching(workspaceId, event, options.trigger).filter((reg) => {
      const installation = this.installations.get(reg.addonId);
      // An inactive add-on "is not loaded": Clockify sends it nothing.
      if (!installation || installation.removed || installation.status !== 'ACTIVE') return false;
      return options.addonKey === undefined || installation.addonKey === options.addonKey;
    });
    return Promise.all(
      targets.map((reg) =>
        this.deliveries.send({
          kind: 'webhook',
          event,
          url: reg.url,
          workspaceId,
          addonId: reg.addonId,
          addonKey: this.installations.get(reg.addonId)?.addonKey,
          webhookId: reg.id,
          payload,
          headers: {
            'Clockify-Signature': reg.authToken,
            'Clockify-Webhook-Event-Type': event,
          },
        }),
      ),
    );
  }
}
