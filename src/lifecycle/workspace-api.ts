import type { Runtime } from '../runtime.js';
import { buildRequest, withoutFileContents } from '../clockify/catalog/index.js';
import type { BuiltRequest, CallInput, Operation } from '../clockify/catalog/index.js';
import type { ApiResponse, ClockifyClient } from '../clockify/client/index.js';
import type { Lane } from '../clockify/rate-limit/types.js';
import { InstallationStore } from './installations.js';
import type { Installation } from './installations.js';
import { DomainError } from '../errors/domain-error.js';

export type CallSource = 'explorer' | 'flow' | 'bootstrap' | 'system';

export interface OperationCall {
  workspaceId: string;
  operation: Operation;
  input: CallInput;
  lane?: Lane;
  source: CallSource;
  userId?: string;
  /** A user token to act with the user's rights instead of the installation's. */
  token?: string;
  signal?: AbortSignal;
  idempotencyKey?: string;
  throwOnHttpError?: boolean;
  /** Keep the input with the API-call log entry (explorer history). */
  recordInput?: boolean;
}

/** Base URLs from the installation's token claims: regions and the developer environment differ, so never hard-coded. */
export function baseUrlsOf(installation: Installation) {
  return {
    backendUrl: installation.backendUrl,
    reportsUrl: installation.reportsUrl ?? installation.backendUrl,
    ...(installation.urlClaims.auditLogUrl ? { auditLogUrl: installation.urlClaims.auditLogUrl } : {}),
  };
}

/** What the API-call log keeps of an input: uploaded file contents are replaced by their size. */
function recordable(input: CallInput): CallInput {
  return input.body === undefined ? input : { ...input, body: withoutFileContents(input.body) };
}

/** Builds and sends one catalog operation for a workspace through the shared client and limiter. */
export async function callOperation(
  runtime: Runtime & { client: ClockifyClient },
  call: OperationCall,
): Promise<{ request: BuiltRequest; response: ApiResponse }> {
  const store = new InstallationStore(runtime.box);
  const installation = await store.get(runtime.database.db, call.workspaceId);
  if (!installation || installation.status === 'DELETED')
    throw new DomainError('not-installed', 'The add-on is not installed in this workspace.');
  const token = call.token ?? (await store.installationToken(runtime.database.db, call.workspaceId));
  if (!token) throw new DomainError('not-installed', 'The add-on is not installed in this workspace.');
  const request = buildRequest(call.operation, call.input, baseUrlsOf(installation));
  const response = await runtime.client.call({
    workspaceId: call.workspaceId,
    token,
    operation: call.operation,
    request,
    lane: call.lane ?? 'interactive',
    signal: call.signal,
    idempotencyKey: call.idempotencyKey,
    throwOnHttpError: call.throwOnHttpError,
    context: {
      source: call.source,
      ...(call.userId ? { userId: call.userId } : {}),
      ...(call.recordInput
        ? { request: runtime.redactor.redact({ operationId: call.operation.operationId, ...recordable(call.input) }) }
        : {}),
    },
  });
  return { request, response };
}
