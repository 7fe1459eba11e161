import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { forwardingSecret } from './forwarding-secret.js';
import type { Runtime } from '../runtime.js';
import { problems } from '../server/problems.js';
import { currentUser } from './user-auth.js';
import { assertAdminRead, seesSetting } from '../server/access-policy.js';
import { ForwardingSecretReply, MeReply, SettingsReply } from './schemas.js';

/** Who is looking and what this edition can do; the structured settings (owned by Clockify, shown read-only). */
export async function settingsRoutes(ui: FastifyInstance, { runtime }: { runtime: Runtime }) {
  // Handlers are checked against their declared answers (the type provider reads the TypeBox schemas).
  const typed = ui.withTypeProvider<TypeBoxTypeProvider>();
  const { edition, editionConfig } = runtime;
  const tags = ['settings'];

  typed.get(
    '/ui/me',
    { schema: { tags, summary: "The viewing user, the installation and the edition's capabilities.", response: { 200: MeReply } } },
    async (request) => {
      const user = currentUser(request);
      return {
        workspaceId: user.workspaceId,
        userId: user.userId,
        role: user.role,
        isAdmin: user.isAdmin,
        theme: user.theme ?? 'DEFAULT',
        language: user.language ?? 'EN',
        installation: { status: user.installation.status, installedAt: user.installation.installedAt, addonId: user.installation.addonId },
        edition: {
          id: edition.id,
          name: edition.name,
          key: editionConfig.key,
          capabilities: edition.capabilities,
          events: edition.events,
          baseUrl: editionConfig.baseUrl,
        },
      };
    },
  );

  typed.get(
    '/ui/settings',
    {
      schema: {
        tags,
        summary: "Structured settings with their effective values (change them in Clockify's add-on settings).",
        response: { 200: SettingsReply },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const values = await runtime.settingsOf(user.workspaceId);
      return {
        ownedBy: 'clockify' as const,
        settings: edition.settings
          .filter((setting) => seesSetting(user, setting))
          .map((setting) => ({
            id: setting.id,
            name: setting.name,
            description: setting.description,
            type: setting.type,
            group: setting.group,
            value: values[setting.id],
            default: editionConfig.settingDefaults[setting.id],
            readOnly: true,
          })),
        forwarding:
          edition.capabilities.forwarding && user.isAdmin
            ? { signing: 'Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature)', secretAvailable: true }
            : undefined,
      };
    },
  );

  typed.get(
    '/ui/settings/forwarding-secret',
    { schema: { tags, summary: 'The secret that signs forwarded events (admins).', response: { 200: ForwardingSecretReply } } },
    async (request) => {
      const user = assertAdminRead(currentUser(request));
      if (!edition.capabilities.forwarding) throw problems.notFound('not-available', 'This edition does not forward events.');
      return { secret: forwardingSecret(runtime, user.workspaceId) };
    },
  );
}
