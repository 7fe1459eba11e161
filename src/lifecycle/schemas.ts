import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';

const Id = Type.String({ minLength: 1, maxLength: 100 });

export const InstalledBody = Type.Object({
  addonId: Id,
  authToken: Type.String({ minLength: 1, maxLength: 8192 }),
  workspaceId: Id,
  asUser: Type.Optional(Type.String({ maxLength: 100 })),
  apiUrl: Type.Optional(Type.String({ maxLength: 500 })),
  addonUserId: Type.Optional(Type.String({ maxLength: 100 })),
  webhooks: Type.Optional(
    Type.Array(
      Type.Object({
        path: Type.String({ minLength: 1, maxLength: 1000 }),
        webhookType: Type.Optional(Type.String({ maxLength: 50 })),
        authToken: Type.String({ minLength: 1, maxLength: 8192 }),
      }),
      { maxItems: 100 },
    ),
  ),
});
export type InstalledBody = Static<typeof InstalledBody>;

export const DeletedBody = Type.Object({ addonId: Id, workspaceId: Id, asUser: Type.Optional(Type.String({ maxLength: 100 })) });
export type DeletedBody = Static<typeof DeletedBody>;

export const StatusChangedBody = Type.Object({
  addonId: Id,
  workspaceId: Id,
  status: Type.Union([Type.Literal('ACTIVE'), Type.Literal('INACTIVE')]),
});
export type StatusChangedBody = Static<typeof StatusChangedBody>;

export const SettingsUpdatedBody = Type.Object({
  addonId: Id,
  workspaceId: Id,
  settings: Type.Array(
    Type.Object({
      id: Type.String({ minLength: 1, maxLength: 100 }),
      name: Type.Optional(Type.String({ maxLength: 200 })),
      value: Type.Optional(Type.Unknown()),
    }),
    { maxItems: 200 },
  ),
});
export type SettingsUpdatedBody = Static<typeof SettingsUpdatedBody>;

export const LifecycleReply = Type.Object({ ok: Type.Boolean(), outcome: Type.String(), workspaceId: Type.String() });

/* What the sidebar's settings and webhook-registration routes answer (Fastify serializes by these). */

const Capabilities = Type.Object({
  customWebhooks: Type.Boolean(),
  explorerWrites: Type.Boolean(),
  httpActions: Type.Boolean(),
  forwarding: Type.Boolean(),
  heavyBootstrap: Type.Boolean(),
});

export const MeReply = Type.Object({
  workspaceId: Type.String(),
  userId: Type.String(),
  role: Type.String(),
  isAdmin: Type.Boolean(),
  theme: Type.String(),
  language: Type.String(),
  installation: Type.Object({ status: Type.String(), installedAt: Type.Number(), addonId: Type.String() }),
  edition: Type.Object({
    id: Type.Union([Type.Literal('api-studio'), Type.Literal('universal-webhook'), Type.Literal('clockify-addon')]),
    name: Type.String(),
    key: Type.String(),
    capabilities: Capabilities,
    events: Type.Array(Type.String()),
    baseUrl: Type.String(),
  }),
});

export const SettingsReply = Type.Object({
  ownedBy: Type.Literal('clockify', { description: "Settings are changed in Clockify's add-on settings, shown here read-only." }),
  settings: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      description: Type.String(),
      type: Type.String(),
      group: Type.String(),
      value: Type.Unknown(),
      default: Type.Unknown(),
      readOnly: Type.Boolean(),
    }),
  ),
  forwarding: Type.Optional(Type.Object({ signing: Type.String(), secretAvailable: Type.Boolean() })),
});

export const ForwardingSecretReply = Type.Object({ secret: Type.String() });

const DriftEntry = Type.Object({
  event: Type.String(),
  route: Type.Union([Type.Literal('manifest'), Type.Literal('rest')]),
  expectedUrl: Type.String(),
  state: Type.Union(['ok', 'missing', 'pending', 'failed', 'disabled', 'unexpected'].map((state) => Type.Literal(state))),
  clockifyWebhookId: Type.Union([Type.String(), Type.Null()]),
  detail: Type.Optional(Type.String()),
});

const DriftReportFields = {
  entries: Type.Array(DriftEntry),
  checkedAtClockify: Type.Boolean({ description: "Whether Clockify's own list of webhooks could be read." }),
  error: Type.Optional(Type.String({ description: 'Why it could not (admins).' })),
};

export const DriftReply = Type.Object({
  ...DriftReportFields,
  summary: Type.Object({ expected: Type.Integer(), ok: Type.Integer(), problems: Type.Integer() }),
});

export const RepairReply = Type.Object({
  registered: Type.Array(Type.String()),
  failed: Type.Array(Type.Object({ event: Type.String(), error: Type.String(), permanent: Type.Boolean() })),
  report: Type.Object(DriftReportFields),
});
