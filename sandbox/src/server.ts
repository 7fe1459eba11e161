import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { EventDispatcher } from './events.js';
import { ClockifyError } from './errors.js';
import type { FaultInjector } from './faults.js';
import type { InstallationService } from './installations.js';
import type { SlidingWindowLimiter } from './rate-limit.js';
import { preciseNow, requestState, setRequestState } from './request-state.js';
import { registerAddonRoutes } from './routes/addon.js';
import { registerClientRoutes } from './routes/clients.js';
import type { RouteContext } from './routes/context.js';
import { registerCustomFieldRoutes } from './routes/custom-fields.js';
import { registerFallbackRoutes } from './routes/fallback.js';
import { registerProjectRoutes } from './routes/projects.js';
import { registerTagRoutes } from './routes/tags.js';
import { registerTaskRoutes } from './routes/tasks.js';
import { registerReportRoutes } from './routes/reports.js';
import { registerTimeEntryRoutes } from './routes/time-entries.js';
import { registerUserGroupRoutes } from './routes/user-groups.js';
import { registerWebhookRoutes } from './routes/webhooks.js';
import { registerWorkspaceRoutes } from './routes/workspace.js';
import { parseMultipart } from './spec/multipart.js';
import { acceptsAddonToken, matchSpecRoute, successMedia, type OpenApiOperation } from './spec/openapi.js';
import type { RequestChecker } from './spec/request-check.js';
import type { TokenService } from './tokens.js';
import type { SpecValidator } from './spec/validator.js';
import type { ApiRequestRecord, SpecViolation } from './types.js';

export interface ServerDeps extends RouteContext {
  installations: InstallationService;
  tokens: TokenService;
  dispatcher: EventDispatcher;
  limiter: SlidingWindowLimiter;
  faults: FaultInjector;
  requestLog: ApiRequestRecord[];
  requests: RequestChecker;
  violations: SpecViolation[];
  /** Set when answers are checked against the spec (option `validateResponses`). */
  responses?: SpecValidator;
}

const API_PREFIX = /^\/(api|reports|auditlog)(\/|$)/;
const PATH_WORKSPACE = /\/workspaces\/([^/?]+)/;

/** The HTTP face of the sandbox: Clockify's REST servers under /api, /reports and /auditlog. */
export function buildServer(deps: ServerDeps, logger: boolean): FastifyInstance {
  // close() drops keep-alive connections too: an edition's idle client sockets otherwise hold it open for the keep-alive timeout (72 s).
  const app = Fastify({ logger, forceCloseConnections: true });

  // Clockify accepts an empty body with a JSON content type (e.g. DELETE from many HTTP clients).
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, raw, done) => {
    const text = String(raw);
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      done(new ClockifyError(400, 'Malformed JSON request body'), undefined);
    }
  });

  // Clockify's multipart operations (expenses, image upload): fields as text, files as UploadedFile.
  app.addContentTypeParser(
    'multipart/form-data',
    { parseAs: 'buffer', bodyLimit: 10 * 1024 * 1024 },
    async (request: FastifyRequest, raw: Buffer) => {
      try {
        return await parseMultipart(String(request.headers['content-type']), raw);
      } catch {
        throw new ClockifyError(400, 'Malformed multipart request body');
      }
    },
  );

  app.addHook('onRequest', async (request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    const isApi = API_PREFIX.test(path);
    const pathWorkspaceId = PATH_WORKSPACE.exec(path)?.[1];
    setRequestState(request, { at: preciseNow(), isApi, events: [], ...(pathWorkspaceId && { pathWorkspaceId }) });
    if (!isApi) return;
    const latency = deps.faults.latencyMs();
    if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));
    return guard(deps, request, reply, path);
  });

  // The spec, enforced on every operation once the body is parsed: parameters, media type, body.
  app.addHook('preHandler', async (request) => {
    const state = requestState(request);
    if (!state.isApi || !state.match) return;
    const contentType = request.headers['content-type'];
    const problem = deps.requests.check(state.match.route, {
      params: state.match.params,
      query: (request.query ?? {}) as Record<string, string | string[] | undefined>,
      ...(contentType ? { mediaType: contentType.split(';')[0]!.trim().toLowerCase() } : {}),
      body: request.body,
    });
    if (problem) {
      recordViolation(deps, request, 'request', problem.statusCode, problem.message);
      throw problem;
    }
  });

  // With `validateResponses`: every 2xx answer of a spec operation checked against its schema and media type.
  app.addHook('onSend', async (request, reply, payload) => {
    const state = requestState(request);
    if (!deps.responses || !state.isApi || !state.match || reply.statusCode >= 300) return payload;
    const problem = answerProblem(deps.responses, state.match.route.operation, reply, payload);
    if (problem) recordViolation(deps, request, 'response', reply.statusCode, problem);
    return payload;
  });

  app.addHook('onResponse', async (request, reply) => {
    const state = requestState(request);
    if (!state.isApi) return;
    const workspaceId = state.pathWorkspaceId ?? state.token?.workspaceId;
    deps.requestLog.push({
      at: state.at,
      method: request.method,
      path: request.url.split('?')[0] ?? '',
      ...(workspaceId && { workspaceId }),
      ...(state.installation && { addonId: state.installation.addonId }),
      status: reply.statusCode,
    });
    if (reply.statusCode < 400) {
      for (const e of state.events)
        void deps.dispatcher.dispatch(e.workspaceId, e.event, e.payload, e.trigger ? { trigger: e.trigger } : {});
    }
  });

  app.setErrorHandler((error: FastifyError | ClockifyError, request, reply) => {
    if (error instanceof ClockifyError) return reply.code(error.statusCode).send(error.body());
    const status = typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) request.log.error({ err: error }, 'sandbox handler failed');
    return reply.code(status).send({ message: status === 500 ? 'Internal server error' : error.message, code: status });
  });

  app.setNotFoundHandler((_request, reply) => reply.code(404).send({ message: 'Not found', code: 404 }));

  registerWorkspaceRoutes(app, deps);
  registerProjectRoutes(app, deps);
  registerTaskRoutes(app, deps);
  registerClientRoutes(app, deps);
  registerTagRoutes(app, deps);
  registerCustomFieldRoutes(app, deps);
  registerUserGroupRoutes(app, deps);
  registerTimeEntryRoutes(app, deps);
  registerWebhookRoutes(app, deps);
  registerAddonRoutes(app, deps);
  registerReportRoutes(app, deps);
  registerFallbackRoutes(app, deps);
  return app;
}

function deny(reply: FastifyReply, status: number, message: string): FastifyReply {
  return reply.code(status).send({ message, code: status });
}

/** Auth, workspace scoping, injected faults and the rate limit, in the order a real gateway applies them. */
async function guard(deps: ServerDeps, request: FastifyRequest, reply: FastifyReply, path: string): Promise<FastifyReply | undefined> {
  const state = requestState(request);
  const match = matchSpecRoute(request.method, path);
  const raw = request.headers['x-addon-token'];
  if (typeof raw !== 'string' || raw === '') return deny(reply, 401, 'Full authentication is required to access this resource');
  // The spec's security: a few operations take a personal API key only (the sandbox issues none).
  if (match && !acceptsAddonToken(match.route.operation)) {
    recordViolation(deps, request, 'request', 401, 'an add-on token on an operation whose spec security takes an API key only');
    return deny(
      reply,
      401,
      'Full authentication is required to access this resource: this operation accepts a personal API key (X-Api-Key), not an add-on token',
    );
  }
  const token = await deps.tokens.verify(raw);
  const installation = token ? deps.installations.get(token.addonId) : undefined;
  // Webhook and lifecycle tokens carry the same claims but cannot call the API: only the
  // installation token itself, or a user token of a live installation, is accepted.
  if (!token || !installation || installation.removed || (!token.isUserToken && raw !== installation.authToken)) {
    return deny(reply, 401, 'Invalid or revoked add-on token');
  }
  state.token = token;
  state.installation = installation;
  if (installation.status !== 'ACTIVE') return deny(reply, 403, 'Add-on is not active in this workspace');
  if (state.pathWorkspaceId !== undefined && state.pathWorkspaceId !== token.workspaceId) {
    return deny(reply, 403, 'Access denied to this workspace');
  }

  const fault = deps.faults.decide();
  if (fault === 'tooManyRequests') return tooManyRequests(reply);
  state.at = preciseNow();
  if (!deps.limiter.tryAcquire(`${installation.addonId}:${token.workspaceId}`, state.at)) return tooManyRequests(reply);
  if (fault === 'serviceUnavailable') return deny(reply, 503, 'Service temporarily unavailable');

  if (match) state.match = match;
  else if (!path.startsWith('/api/addon/')) recordViolation(deps, request, 'request', 404, 'not an operation of the spec');
  return undefined;
}

function recordViolation(deps: ServerDeps, request: FastifyRequest, kind: SpecViolation['kind'], status: number, message: string): void {
  const match = requestState(request).match;
  deps.violations.push({
    kind,
    method: request.method,
    path: request.url.split('?')[0] ?? '',
    ...(match?.route.operation.operationId ? { operationId: match.route.operation.operationId } : {}),
    status,
    message,
  });
}

/** What is wrong with a 2xx answer: its media type, or its body against the success schema. */
function answerProblem(validator: SpecValidator, operation: OpenApiOperation, reply: FastifyReply, payload: unknown): string | undefined {
  const { schema, mediaType } = successMedia(operation);
  const type = String(reply.getHeader('content-type') ?? '')
    .split(';')[0]!
    .trim();
  if (!schema) return undefined;
  if (mediaType === 'application/json' && type !== 'application/json')
    return `answered ${type || 'no content type'}, the spec says application/json`;
  if (type !== 'application/json') return undefined;
  let body: unknown;
  try {
    body = JSON.parse(typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : '');
  } catch {
    return 'answer is not JSON';
  }
  return validator.validateResponse(operation, body);
}

function tooManyRequests(reply: FastifyReply): FastifyReply {
  return reply.code(429).header('Retry-After', '1').send({ message: 'Too many requests', code: 429 });
}
