import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Runtime } from '../runtime.js';
import { currentUser } from '../lifecycle/user-auth.js';
import { effectiveCapabilities, templateRequirements } from './capabilities.js';

const CapabilityId = Type.Union(
  ['customWebhooks', 'explorerWrites', 'httpActions', 'forwarding', 'heavyBootstrap'].map((id) => Type.Literal(id)),
);

export const CapabilitiesResponse = Type.Object({
  capabilities: Type.Array(
    Type.Object({
      id: CapabilityId,
      label: Type.String(),
      state: Type.Union([Type.Literal('on'), Type.Literal('off'), Type.Literal('unavailable')]),
      reason: Type.Optional(Type.String()),
      howToEnable: Type.Optional(Type.String()),
    }),
  ),
  templates: Type.Array(Type.Object({ templateId: Type.String(), needs: Type.Array(CapabilityId) })),
});

/** GET /ui/capabilities: what this workspace can do now, read by the overview and the template gallery. */
export async function capabilitiesRoutes(ui: FastifyInstance, { runtime }: { runtime: Runtime }) {
  ui.get(
    '/ui/capabilities',
    {
      schema: {
        tags: ['settings'],
        summary: "The edition's capabilities as this workspace's settings leave them, with how to enable what is off.",
        response: { 200: CapabilitiesResponse },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const settings = await runtime.settingsOf(user.workspaceId);
      return { capabilities: effectiveCapabilities(runtime.edition, settings), templates: templateRequirements(runtime.edition.id) };
    },
  );
}
