import type { FaultOptions } from './faults.js';
import type { SeedOptions } from './data/seed.js';
import type { Delivery } from './deliveries.js';

export type { FaultOptions } from './faults.js';
export type { SeedOptions } from './data/seed.js';
export type { Delivery } from './deliveries.js';
export type { WorkspaceRole } from './data/records.js';

export type Plan = 'FREE' | 'BASIC' | 'STANDARD' | 'PRO' | 'ENTERPRISE';
export type AddonStatus = 'ACTIVE' | 'INACTIVE';

export interface SandboxOptions {
  /** 0 = a random free port (default). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** When set, the RSA key pair is kept in `${dataDir}/sandbox-keys.json` and reused. */
  dataDir?: string;
  seed?: SeedOptions;
  faults?: FaultOptions;
  /** Per add-on installation per workspace; default 50, like Clockify. */
  rateLimitPerSecond?: number;
  /** Workspace plan, for webhook limits; default ENTERPRISE. */
  plan?: Plan;
  logger?: boolean;
  /**
   * Check every 2xx answer against the spec (every declared field present, types, media type) and
   * record what does not match in `specViolations()`. Off by default: it costs a validation per call.
   */
  validateResponses?: boolean;
  /** Waits before webhook retries (Clockify retries, schedule undocumented); default [250, 1000]. */
  webhookRetryDelaysMs?: number[];
  /** Timeout of each outgoing lifecycle/webhook call; default 10,000 ms. */
  deliveryTimeoutMs?: number;
}

export interface WorkspaceInfo {
  id: string;
  name: string;
  ownerId: string;
  userIds: string[];
}

export interface LifecycleResult {
  addonId: string;
  workspaceId: string;
  addonKey: string;
  /** The add-on's HTTP status; absent when the manifest has no such lifecycle path or the call failed. */
  status?: number;
  /** The add-on's answer (parsed JSON when possible). */
  body?: unknown;
  error?: string;
}

export interface InstallResult extends LifecycleResult {
  /** False when INSTALLED did not get a 2xx answer: the sandbox then drops the installation again. */
  installed: boolean;
}

export interface ApiRequestRecord {
  /** Epoch ms with sub-millisecond precision (performance.timeOrigin + performance.now()). */
  at: number;
  method: string;
  path: string;
  workspaceId?: string;
  addonId?: string;
  status: number;
}

export interface SpecViolation {
  kind: 'request' | 'response';
  method: string;
  path: string;
  operationId?: string;
  status: number;
  message: string;
}

export interface InstallationInfo {
  addonId: string;
  addonKey: string;
  workspaceId: string;
  baseUrl: string;
  status: AddonStatus;
  installedAt: string;
  webhooks: Array<{ id: string; event: string; url: string }>;
}

export interface UserTokenRequest {
  addonKey: string;
  workspaceId?: string;
  userId?: string;
  role?: 'OWNER' | 'ADMIN' | 'TEAM_MANAGER' | 'PROJECT_MANAGER' | 'REGULAR';
  /** Default 1800 (30 minutes, like Clockify). */
  expiresInSeconds?: number;
  theme?: 'DEFAULT' | 'DARK';
  language?: string;
}

export interface Sandbox {
  url: string;
  /** `${url}/api`, like Clockify's backendUrl claim: requests go to `${backendUrl}/v1/workspaces/...`. */
  backendUrl: string;
  reportsUrl: string;
  auditLogUrl: string;
  publicKeyPem: string;
  workspaces(): WorkspaceInfo[];
  installations(): InstallationInfo[];
  install(opts: { manifestUrl?: string; manifest?: object; workspaceId?: string }): Promise<InstallResult>;
  uninstall(opts: { addonKey: string; workspaceId?: string }): Promise<LifecycleResult>;
  setStatus(opts: { addonKey: string; workspaceId?: string; status: AddonStatus }): Promise<LifecycleResult>;
  updateSettings(opts: { addonKey: string; workspaceId?: string; values: Record<string, unknown> }): Promise<LifecycleResult>;
  userToken(opts: UserTokenRequest): Promise<string>;
  trigger(event: string, opts?: { workspaceId?: string; payload?: object; addonKey?: string }): Promise<Delivery[]>;
  deliveries(): Delivery[];
  /** Resolves when every webhook/lifecycle call started so far has finished (retries included). */
  waitForDeliveries(): Promise<Delivery[]>;
  requestLog(): ApiRequestRecord[];
  /** Requests the spec forbids (refused with 4xx) and, with `validateResponses`, answers that do not match it. */
  specViolations(): SpecViolation[];
  maxRequestsPerSecond(workspaceId: string): number;
  setFaults(f: FaultOptions): void;
  close(): Promise<void>;
}
