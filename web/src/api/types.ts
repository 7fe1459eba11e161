/**
 * Names for the /ui/* API's shapes as the sidebar uses them: aliases only, over the types generated
 * from the server's OpenAPI document (npm run api-types; see docs/architecture.md, "Response shapes").
 * A shape is changed in the route's schema on the server, never here; test/foundation/web-api-types.test.ts
 * fails on a hand-written interface or object type in this file.
 */
import type { components } from './generated/openapi';
import type { Answer, OfKind } from './answers';

export type Me = Answer<'/ui/me', 'get'>;
export type Capabilities = Me['edition']['capabilities'];
export type CapabilityId = keyof Capabilities;
export type SettingsResponse = Answer<'/ui/settings', 'get'>;
export type SettingView = SettingsResponse['settings'][number];

export type EventList = Answer<'/ui/webhooks/events', 'get'>;
export type WebhookEvent = EventList['events'][number];
export type EventStatus = WebhookEvent['status'];
export type EventDetail = Answer<'/ui/webhooks/events/{eventId}', 'get'>;
export type EventRunRef = EventDetail['flowRuns'][number];

export type DriftReport = Answer<'/ui/webhooks/registrations', 'get'>;
export type DriftEntry = DriftReport['entries'][number];
export type ReconciliationStatus = Answer<'/ui/webhooks/reconciliation', 'get'>;

export type EndpointList = Answer<'/ui/api-explorer/endpoints', 'get'>;
export type OperationSummary = EndpointList['groups'][number]['operations'][number];
export type HttpMethod = OperationSummary['method'];
export type OperationForm = Answer<'/ui/api-explorer/endpoints/{operationId}', 'get'>;
export type OperationParameter = OperationForm['parameters'][number];
export type JsonSchema = OperationParameter['schema'];
export type ExecuteResult = Answer<'/ui/api-explorer/execute', 'post'>;
export type HistoryEntry = Answer<'/ui/api-explorer/history', 'get'>['entries'][number];
export type OperationDocs = Answer<'/ui/api-explorer/docs/{operationId}', 'get'>;
export type ExplorerCall = Answer<'/ui/api-explorer/calls/{callId}', 'get'>;

export type CustomSource = Answer<'/ui/sources', 'get'>['sources'][number];
export type Credential = Answer<'/ui/credentials', 'get'>['credentials'][number];

export type BootstrapStatus = Answer<'/ui/bootstrap/status', 'get'>;
export type BootstrapRun = NonNullable<BootstrapStatus['run']>;
export type RunStatus = BootstrapRun['status'];

/* Flows: the definition is the server's flow model (src/flows/model.ts), through its $id'd schemas. */
export type FlowDefinition = components['schemas']['FlowDefinition'];
export type ConditionGroup = components['schemas']['FlowConditionGroup'];
export type ConditionRule = Exclude<ConditionGroup['rules'][number], ConditionGroup>;
export type FlowTrigger = FlowDefinition['trigger'];
export type ScheduleSpec = OfKind<FlowTrigger, 'schedule'>['schedule'];
export type FlowStep = components['schemas']['FlowStep'];
export type FlowAction = FlowStep;
export type SetStep = OfKind<FlowStep, 'set'>;
export type StopStep = OfKind<FlowStep, 'stop'>;
export type BranchStep = OfKind<FlowStep, 'branch'>;
export type ForEachStep = OfKind<FlowStep, 'for-each'>;
export type FindStep = OfKind<FlowStep, 'find'>;
export type WaitStep = OfKind<FlowStep, 'wait'>;
export type FindEntity = FindStep['entity'];
export type ClockifyAction = OfKind<FlowAction, 'clockify'>;
export type HttpAction = OfKind<FlowAction, 'http'>;

/** A stored flow: its summary fields, the definition, and its trigger. */
export type FlowRecord = Answer<'/ui/flows', 'get'>['flows'][number];
export type FlowSummary = FlowRecord;
export type RunPage = Answer<'/ui/flows/runs', 'get'>;
export type FlowRun = RunPage['runs'][number];
export type FlowRunDetail = Answer<'/ui/flows/runs/{runId}', 'get'>;
export type RetryQueued = Answer<'/ui/flows/runs/retry', 'post', 202>;
export type FlowVersionList = Answer<'/ui/flows/{flowId}/versions', 'get'>;
export type FlowImportPreview = Answer<'/ui/flows/import', 'post'>;
export type FlowRunAction = FlowRunDetail['actions'][number];
export type DryRunResult = Answer<'/ui/flows/test', 'post'>;
export type DryRunStep = components['schemas']['FlowDryRunStep'];
export type StepExecution = Answer<'/ui/flows/steps/execute', 'post'>;
export type BackfillPreview = Answer<'/ui/flows/{flowId}/backfill/preview', 'get'>;
export type FlowTemplate = Answer<'/ui/flows/templates', 'get'>['templates'][number];

export type CapabilitiesResponse = Answer<'/ui/capabilities', 'get'>;
export type CapabilityState = CapabilitiesResponse['capabilities'][number];

export type NameDirectory = Answer<'/ui/names', 'get'>;
export type NamedEntity = NameDirectory['users'][number];

type InspectorListEvent = Answer<'/ui/inspector/events', 'get'>['events'][number];
export type EventDigest = InspectorListEvent['digest'];
/** A row of the inspector's list; rows added from live messages have no digest until the list is read again. */
export type InspectorEvent = Omit<WebhookEvent, 'workspaceId'> & Partial<Pick<InspectorListEvent, 'digest'>>;
export type RejectedList = Answer<'/ui/inspector/rejected', 'get'>;
export type RejectedRequest = RejectedList['requests'][number];
export type Volume = Answer<'/ui/inspector/volume', 'get'>;
export type VolumeBucket = Volume['buckets'][number];
