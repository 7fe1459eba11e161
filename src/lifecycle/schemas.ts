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
      Type.Object({ path: Type.String({ minLength: 1, maxLength: 1000 }), webhookType: Type.Optional(Type.String({ maxLength: 50 })), authToken: Type.String({ minLength: 1, maxLength: 8192 }) }),
      { maxItems: 100 },
    ),
  ),
});
export type InstalledBody = Static<typeof InstalledBody>;

export const DeletedBody = Type.Object({ addonId: Id, workspaceId: Id, asUser: Type.Optional(Type.String({ maxLength: 100 })) });
export type DeletedBody = Static<typeof DeletedBody>;

export const StatusChangedBody = Type.Object({ addonId: Id, workspaceId: Id, status: Type.Union([Type.Literal('ACTIVE'), Type.Literal('INACTIVE')]) });
export type StatusChangedBody = Static<typeof StatusChangedBody>;

export const SettingsUpdatedBody = Type.Object({
  addonId: Id,
  workspaceId: Id,
  settings: Type.Array(Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }), name: Type.Optional(Type.String({ maxLength: 200 })), value: Type.Optional(Type.Unknown()) }), { maxItems: 200 }),
});
export type SettingsUpdatedBody = Static<typeof SettingsUpdatedBody>;

export const LifecycleReply = Type.Object({ ok: Type.Boolean(), outcome: Type.String(), workspaceId: Type.String() });
