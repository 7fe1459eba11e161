/** Shapes of the /ui/* API as the sidebar uses them (see src/ for the server side). */

export interface Capabilities {
  customWebhooks: boolean;
  explorerWrites: boolean;
  httpActions: boolean;
  forwarding: boolean;
  heavyBootstrap: boolean;
}

export interface Me {
  workspaceId: string;
  userId: string;
  role: string;
  isAdmin: boolean;
  theme: string;
  language: string;
  installation: { status: string; installedAt?: number | string | null; addonId: string };
  edition: { id: 'api-studio' | 'universal-webhook' | 'clockify-addon'; name: string; key: string; capabilities: Capabilities; events: string[]; baseUrl: string };
}

export interface SettingView {
  id: string;
  name: string;
  description: string;
  type: string;
  group: string;
  value: unknown;
  default: unknown;
  readOnly: boolean;
}

export interface SettingsResponse {
  ownedBy: string;
  settings: SettingView[];
  forwarding?: { signing: string; secretAvailable: boolean };
}

export type EventStatus = 'received' | 'processed' | 'failed' | 'skipped';

export interface WebhookEvent {
  id: string;
  source: string;
  eventType: string;
  status: EventStatus;
  receivedAt: number;
  processedAt: number | null;
  duplicates: number;
  userId: string | null;
  projectId: string | null;
  timeEntryId: string | null;
  clientId: string | null;
  tagIds: string[];
  error: string | null;
  triggered: unknown;
}

export interface EventList {
  events: WebhookEvent[];
  nextCursor: string | null;
}

export interface EventRunRef {
  id: string;
  flow_id: string;
  flow_version: number;
  status: string;
  matched: number | boolean;
  started_at: number | null;
  finished_at: number | null;
  error: string | null;
}

export interface EventDetail {
  event: WebhookEvent & { payload: unknown; headers: Record<string, string> };
  flowRuns: EventRunRef[];
}

export interface DriftEntry {
  event: string;
  route: 'manifest' | 'rest';
  expectedUrl: string;
  state: 'ok' | 'missing' | 'pending' | 'failed' | 'disabled' | 'unexpected';
  clockifyWebhookId: string | null;
  detail?: string;
}

export interface DriftReport {
  entries: DriftEntry[];
  checkedAtClockify?: boolean;
  error?: string;
  summary: { expected: number; ok: number; problems: number };
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface OperationSummary {
  operationId: string;
  method: HttpMethod;
  path: string;
  summary: string;
  readOnly: boolean;
  deprecated?: boolean;
  runnable: boolean;
  /** Clockify serves it to personal API keys only: listed, never run. */
  needsApiKey?: boolean;
}

export interface EndpointList {
  total: number;
  groups: { tag: string; operations: OperationSummary[] }[];
}

export type JsonSchema = { [keyword: string]: unknown };

export interface OperationParameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  schema: JsonSchema;
  enum?: readonly unknown[];
  default?: unknown;
  description?: string;
}

export interface OperationForm extends OperationSummary {
  description?: string;
  tag: string;
  scopes?: string[];
  parameters: OperationParameter[];
  requestBody: { required: boolean; contentType: string; schema: JsonSchema } | null;
  prefill: Record<string, unknown>;
  exampleBody: unknown;
  notRunnableBecause?: string;
}

export interface ExecuteResult {
  status: number;
  ok: boolean;
  durationMs: number;
  attempts: number;
  headers: Record<string, string>;
  body: unknown;
  request: { method: string; url: string; query?: Record<string, string | string[]> };
  curl: string;
}

export interface HistoryEntry {
  id: string;
  operationId: string;
  method: string;
  url: string;
  status: number | null;
  durationMs: number | null;
  attempts?: number;
  error?: string | null;
  input: { operationId?: string; params?: Record<string, unknown>; body?: unknown } | null;
  userId?: string | null;
  createdAt: number;
}

export interface CustomSource {
  id: string;
  name: string;
  signatureMode: 'standard' | 'hmac-sha256' | 'none';
  signatureHeader: string | null;
  /** HMAC sources: the signed timestamp header, when the sender signs one (replay window). */
  timestampHeader?: string | null;
  enabled: boolean;
  rotating: boolean;
  createdAt: number;
  updatedAt: number;
  url: string;
}

export type RunStatus = 'pending' | 'running' | 'completed' | 'completed_with_warnings' | 'failed' | 'cancelled';

export interface BootstrapRun {
  id: string;
  status: RunStatus;
  mode: string;
  operationsTotal: number;
  operationsDone: number;
  entitiesFetched: number;
  pagesFetched: number;
  errorsCount: number;
  createdAt: number | string | null;
  startedAt: number | string | null;
  finishedAt: number | string | null;
  errors?: { operationId: string; error: string }[];
  /** What a run completed with warnings cut: operations stopped by the page cap, steps skipped after errors. */
  warnings?: { operationId: string; stepKey: string; kind: 'page-cap' | 'failed'; message: string }[];
  warningsCount?: number;
  warningSummary?: string | null;
}

export interface BootstrapStatus {
  run: BootstrapRun | null;
  entityCounts: { type: string; count: number }[];
}

/* Flows: the definition model mirrors src/flows/model.ts. */

export interface ConditionRule {
  path: string;
  op: string;
  value?: unknown;
}

export interface ConditionGroup {
  mode: 'all' | 'any';
  rules: (ConditionRule | ConditionGroup)[];
}

export type ScheduleSpec = { every: 'minutes' | 'hours'; interval: number } | { at: string; days?: ('mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun')[] } | { cron: string };
export type FlowTrigger =
  | { kind: 'clockify'; events: string[] }
  | { kind: 'custom'; sourceId: string; eventTypes?: string[] }
  | { kind: 'schedule'; schedule: ScheduleSpec; timeZone?: string; missed?: 'run-once' | 'skip' };

interface ActionBase {
  id: string;
  name?: string;
  continueOnFailure?: boolean;
  retry?: { attempts: number; backoffMs: number };
}

export interface ClockifyAction extends ActionBase {
  kind: 'clockify';
  operationId: string;
  params?: Record<string, unknown>;
  body?: unknown;
}

export interface HttpAction extends ActionBase {
  kind: 'http';
  method: HttpMethod;
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  /** A workspace credential put into the request by its kind. */
  credential?: string;
}

export type FlowAction = ClockifyAction | HttpAction;

export interface FlowDefinition {
  name: string;
  description?: string;
  enabled: boolean;
  trigger: FlowTrigger;
  conditions: ConditionGroup;
  actions: FlowAction[];
}

export interface FlowSummary {
  id: string;
  name: string;
  enabled: boolean;
  version: number;
  trigger: FlowTrigger;
  lastRunStatus: string | null;
  lastRunAt: number | string | null;
  updatedAt: number | string | null;
}

/** A stored flow: its summary fields plus the definition (the server may nest it or spread it). */
export interface FlowRecord extends Partial<FlowSummary> {
  id: string;
  definition?: FlowDefinition;
  description?: string;
  conditions?: ConditionGroup;
  actions?: FlowAction[];
}

export interface FlowRun {
  id: string;
  status: string;
  matched: boolean | number;
  eventId: string | null;
  startedAt: number | string | null;
  finishedAt: number | string | null;
  error: string | null;
  flowId?: string;
}

export interface FlowRunAction {
  actionId: string;
  status: string;
  request: unknown;
  response: unknown;
  attempts: number;
  durationMs: number | null;
}

export interface FlowRunDetail {
  run: FlowRun & Record<string, unknown>;
  actions: FlowRunAction[];
}

export interface DryRunResult {
  matched: boolean;
  trace: { path: string; op: string; matched: boolean; actual?: unknown; error?: string }[];
  actions: { actionId: string; kind: string; request: unknown; missing: string[]; error?: string }[];
}

export interface FlowTemplate {
  id: string;
  name: string;
  description: string;
  requiredInputs: { name: string; label: string; type: string }[];
}

/** GET /ui/webhooks/reconciliation: the last read of Clockify's webhook delivery logs. */
export interface ReconciliationStatus {
  lastCheckedAt: string | null;
  coveredUntil: string | null;
  lastRecovered: number;
  recoveredTotal: number;
  lastError: string | null;
}

export type CapabilityId = keyof Capabilities;

/** GET /ui/capabilities: the edition's capabilities as this workspace's settings leave them. */
export interface CapabilityState {
  id: CapabilityId;
  label: string;
  state: 'on' | 'off' | 'unavailable';
  reason?: string;
  howToEnable?: string;
}

export interface CapabilitiesResponse {
  capabilities: CapabilityState[];
  templates: { templateId: string; needs: CapabilityId[] }[];
}

export interface NamedEntity {
  id: string;
  name: string;
  parentId?: string;
  color?: string;
}

/** GET /ui/names: the workspace's names from the snapshot. */
export interface NameDirectory {
  workspace: { id: string; name: string | null };
  users: NamedEntity[];
  projects: NamedEntity[];
  tasks: NamedEntity[];
  clients: NamedEntity[];
  tags: NamedEntity[];
  customFields: NamedEntity[];
  sources: NamedEntity[];
}

/** GET /ui/api-explorer/docs/:operationId */
export interface OperationDocs {
  operationId: string;
  serverUrl: string;
  responses: { status: string; description: string }[];
  responseSchema: unknown;
}

/** GET /ui/api-explorer/calls/:callId */
export interface ExplorerCall {
  id: string;
  operationId: string | null;
  method: string;
  url: string;
  status: number | null;
  durationMs: number;
  attempts: number;
  error: string | null;
  input: { operationId?: string; params?: Record<string, unknown>; body?: unknown } | null;
  response: unknown;
  responseTruncated: boolean;
  responseHidden?: boolean;
  userId: string | null;
  createdAt: number;
}

/** GET /ui/inspector/events: the few payload facts a one-line summary needs. */
export interface EventDigest {
  entityId?: string;
  name?: string;
  description?: string;
  userId?: string;
  userName?: string;
  projectId?: string;
  projectName?: string;
  taskId?: string;
  taskName?: string;
  clientId?: string;
  clientName?: string;
  start?: string;
  end?: string;
  duration?: string;
}

export interface InspectorEvent extends WebhookEvent {
  digest?: EventDigest;
}

/** GET /ui/inspector/rejected */
export interface RejectedRequest {
  id: string;
  source: string;
  eventType: string | null;
  status: number;
  reason: string;
  detail: string;
  headers: Record<string, string>;
  bodyBytes: number;
  receivedAt: number;
}

export interface RejectedList {
  requests: RejectedRequest[];
  reasons: string[];
  nextCursor: string | null;
}

/** GET /ui/inspector/volume */
export interface VolumeBucket {
  start: number;
  processed: number;
  failed: number;
  skipped: number;
  received: number;
  rejected: number;
}

export interface Volume {
  range: '24h' | '7d';
  bucketMs: number;
  buckets: VolumeBucket[];
}
