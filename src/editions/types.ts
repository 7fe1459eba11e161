import type { ClockifyEvent, ClockifyScope, ManifestSchemaVersion } from './events.js';

export type EditionId = 'api-studio' | 'universal-webhook' | 'clockify-addon';
export type SubscriptionPlan = 'FREE' | 'BASIC' | 'STANDARD' | 'PRO' | 'ENTERPRISE';
export type AccessLevel = 'ADMINS' | 'EVERYONE';

export type SettingType = 'TXT' | 'NUMBER' | 'CHECKBOX' | 'LINK' | 'DROPDOWN_SINGLE' | 'DROPDOWN_MULTIPLE';
export type SettingValue = string | number | boolean | string[];

/** One structured setting: declared in the manifest, rendered and stored by Clockify. */
export interface SettingDefinition {
  id: string;
  name: string;
  description: string;
  type: SettingType;
  default: SettingValue;
  group: 'bootstrap' | 'webhooks' | 'flows' | 'data';
  accessLevel?: AccessLevel;
  allowedValues?: string[];
  /** Bounds our own validation applies to NUMBER settings. */
  min?: number;
  max?: number;
}

export interface Capabilities {
  /** `POST /webhooks/custom/{source}` for non-Clockify senders. */
  customWebhooks: boolean;
  /** Explorer may run write operations (admins only); otherwise safe GET operations only. */
  explorerWrites: boolean;
  /** Flows may send generic HTTP requests (still off until the workspace enables them). */
  httpActions: boolean;
  /** Relay every event to the workspace's `forwarding_url`. */
  forwarding: boolean;
  /** Bootstrap may fetch heavy operations (reports, audit log). */
  heavyBootstrap: boolean;
}

export interface ComponentDefinition {
  type: 'sidebar';
  accessLevel: AccessLevel;
  path: string;
  label: string;
}

export interface EditionDefinition {
  id: EditionId;
  /** Default add-on key; `${envPrefix}_ADDON_KEY` overrides it. */
  key: string;
  name: string;
  description: string;
  /** Prefix of this edition's own environment variables (settings defaults, port, ...). */
  envPrefix: string;
  minimalPlan: SubscriptionPlan;
  schemaVersion: ManifestSchemaVersion;
  scopes: ClockifyScope[];
  /** Every event the edition subscribes to. */
  events: ClockifyEvent[];
  /** The subset declared in the manifest (allowed by the schema version, at most 10); the rest are registered through the REST API. */
  manifestEvents: ClockifyEvent[];
  components: ComponentDefinition[];
  settings: SettingDefinition[];
  capabilities: Capabilities;
  defaultPort: number;
  /** File name under the data folder for the embedded database. */
  defaultDbFile: string;
  /** Environment variable naming the production database URL. */
  dbUrlEnv: string;
  baseUrlEnv: string;
}

export type EventRoute = 'manifest' | 'rest';
