import Fastify, { LogController } from 'fastify';
import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { Runtime } from '../runtime.js';
import { LazyChildLogger } from '../observability/lazy-child-logger.js';
import { nextRequestId } from './request-ids.js';
import { DomainError } from '../errors/domain-error.js';
import { domainProblem } from './domain-problems.js';
import { HttpProblem, problemDocument } from './problems.js';
import type { ProblemDocument } from './problems.js';
import { RouteIndex } from './route-index.js';
import { withProblemAnswers } from './problem-schema.js';
import { redactString } from '../observability/redact.js';
import { checkJsonShape } from './json-limits.js';
import { storageUnavailableReason } from '../storage/availability.js';

/** Seconds a client is asked to wait before retrying while the database is unavailable. */
export const STORAGE_RETRY_AFTER_SECONDS = 30;

declare module 'fastify' {
  interface FastifyRequest {
    /** The exact bytes received, for signature checks over the body. */
    rawBody?: Buffer;
    /** A JSON body as text (what `body` was parsed from), for storing it without serialising it again. */
    bodyText?: string;
  }
  interface FastifyInstance {
    routeIndex: RouteIndex;
  }
}

export const API_BODY_LIMIT = 1024 * 1024;
export const WEBHOOK_BODY_LIMIT = 5 * 1024 * 1024;

const STATUS_CLASSES = ['0xx', '1xx', '2xx', '3xx', '4xx', '5xx'];
const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/** The HTTP shell every edition shares: ids, limits, one error shape, security headers, timing. */
export function createHttpServer(runtime: Runtime): FastifyInstance {
  const app: FastifyInstance = Fastify({
    loggerInstance: runtime.logger as unknown as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'requestId' }),
    bodyLimit: API_BODY_LIMIT,
    trustProxy: runtime.config.trustProxy,
    requestIdHeader: false,
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID_PATTERN.test(given) ? given : nextRequestId();
    },
    // Made when the request logs something: most requests (every accepted webhook) log nothing.
    childLoggerFactory: (logger, bindings, options) =>
      new LazyChildLogger(logger as unknown as Logger, bindings, options) as unknown as FastifyBaseLogger,
    // Slow-loris: a client that trickles its request is cut off.
    requestTimeout: runtime.config.requestTimeoutSeconds * 1000,
    connectionTimeout: 60_000,
    keepAliveTimeout: 65_000,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: true } },
    // Errors the router raises before any route runs (too-long or malformed path): same error shape as everything else.
    frameworkErrors: (error, request, reply) => {
      const document =
        error.code === 'FST_ERR_MAX_PARAM_LENGTH'
          ? problemDocument(414, 'uri-too-long', 'A path segment is longer than this server accepts.')
          : error.code === 'FST_ERR_BAD_URL'
            ? problemDocument(400, 'bad-url', 'The URL is not valid.')
            : problemDocument(500, 'internal-error', 'Something went wrong on our side; the request id identifies it in our logs.');
      reply.header('x-request-id', request.id);
      void sendProblem(request as FastifyRequest, (reply as FastifyReply).code(document.status), document);
    },
  });

  const routeIndex = new RouteIndex();
  app.decorate('routeIndex', routeIndex);
  app.addHook('onRoute', (route) => {
    // A route that declares its answers also answers errors as problems (one shape, in /docs too).
    if (route.schema?.response) route.schema.response = withProblemAnswers(route.schema.response as Record<string, unknown>);
    if (route.method === 'HEAD' || route.method === 'OPTIONS') return;
    routeIndex.add(route.url, route.method as string | string[]);
  });

  app.removeAllContentTypeParsers();
  app.addContentTypeParser(['application/json', 'application/*+json'], { parseAs: 'buffer' }, (request, body, done) => {
    const buffer = body as Buffer;
    request.rawBody = buffer;
    if (buffer.length === 0) return done(null, undefined);
    const violation = checkJsonShape(buffer);
    if (violation)
      return done(new HttpProblem(400, violation.limit === 'depth' ? 'json-too-deep' : 'json-too-many-keys', violation.message), undefined);
    try {
      const text = buffer.toString('utf8');
      const parsed: unknown = JSON.parse(text);
      request.bodyText = text;
      done(null, parsed);
    } catch {
      done(new HttpProblem(400, 'malformed-json', 'The request body is not valid JSON.'), undefined);
    }
  });
  app.addContentTypeParser(
    ['text/plain', 'application/x-www-form-urlencoded', 'application/octet-stream'],
    { parseAs: 'buffer' },
    (request, body, done) => {
      request.rawBody = body as Buffer;
      done(null, (body as Buffer).toString('utf8'));
    },
  );

  // The hooks below run on every request, webhooks included: plain callbacks, no promise per hook.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });

  app.addHook('onSend', (request, reply, payload, done) => {
    reply.header('x-content-type-options', 'nosniff');
    // The sidebar URL carries a token in its query: never let it leave through a Referer header.
    reply.header('referrer-policy', 'no-referrer');
    reply.header('cross-origin-resource-policy', 'same-site');
    if (request.protocol === 'https') reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    done(null, payload);
  });

  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const status = reply.statusCode;
    const statusClass = STATUS_CLASSES[Math.floor(status / 100)] ?? 'other';
    runtime.metrics.httpRequestDuration.observe(
      `${request.method} ${statusClass} ${route}`,
      () => ({ method: request.method, route, status_class: statusClass }),
      reply.elapsedTime / 1000,
    );
    const level = status >= 500 ? 'error' : status >= 400 ? 'info' : 'debug';
    if (runtime.logger.isLevelEnabled(level)) {
      request.log[level](
        {
          method: request.method,
          url: redactString(request.url),
          route,
          statusCode: status,
          durationMs: Math.round(reply.elapsedTime * 10) / 10,
        },
        'request completed',
      );
    }
    done();
  });

  app.setNotFoundHandler(async (request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    const allowed = routeIndex.allowedMethods(path);
    // A route of this method that gave up (a wildcard with nothing to serve) means 404, not 405.
    if (allowed.length > 0 && !allowed.includes(request.method)) {
      reply.header('allow', allowed.join(', '));
      return sendProblem(
        request,
        reply.code(405),
        problemDocument(405, 'method-not-allowed', `${request.method} is not allowed on ${path}; allowed: ${allowed.join(', ')}.`),
      );
    }
    return sendProblem(request, reply.code(404), problemDocument(404, 'not-found', `No route ${request.method} ${path}.`));
  });

  app.setErrorHandler(async (error, request, reply) => {
    const unavailable = storageUnavailableReason(error);
    if (unavailable) {
      // Nothing was stored: a 503 with Retry-After makes Clockify retry the webhook (and a browser try again).
      runtime.database.health.noteFailure(unavailable);
      reply.header('retry-after', String(STORAGE_RETRY_AFTER_SECONDS));
      return sendProblem(
        request,
        reply.code(503),
        problemDocument(503, 'storage-unavailable', 'The database is unavailable for the moment; nothing was stored. Try again later.'),
      );
    }
    const document = toProblem(error as Error & { statusCode?: number; code?: string; validation?: unknown[] });
    if (document.status >= 500) request.log.error({ err: error }, 'request failed');
    if (error instanceof HttpProblem && error.headers) reply.headers(error.headers);
    return sendProblem(request, reply.code(document.status), document);
  });

  // Node measures the headers apart (60 s by default): they must not get longer than the whole request.
  app.server.headersTimeout = Math.min(app.server.headersTimeout, runtime.config.requestTimeoutSeconds * 1000);

  return app;
}

function sendProblem(request: FastifyRequest, reply: import('fastify').FastifyReply, document: ProblemDocument) {
  return reply.type('application/problem+json').send({ ...document, instance: request.url.split('?')[0], requestId: request.id });
}

function toProblem(
  error: Error & { statusCode?: number; code?: string; validation?: unknown[]; validationContext?: string },
): ProblemDocument {
  if (error instanceof HttpProblem)
    return problemDocument(error.status, error.slug, error.message, error.errors ? { errors: error.errors } : {});
  if (error instanceof DomainError) return domainProblem(error);
  if (error.validation) {
    const errors = (error.validation as { instancePath?: string; message?: string; params?: Record<string, unknown> }[]).map((item) => ({
      field: [
        error.validationContext,
        ...(item.instancePath ?? '').split('/').filter(Boolean),
        item.params?.missingProperty as string | undefined,
      ]
        .filter(Boolean)
        .join('.'),
      message: item.message ?? 'is invalid',
    }));
    return problemDocument(400, 'validation-failed', 'The request is invalid: ' + errors.map((e) => `${e.field} ${e.message}`).join('; '), {
      errors,
    });
  }
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return problemDocument(413, 'payload-too-large', 'The request body is larger than this endpoint accepts.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return problemDocument(415, 'unsupported-media-type', 'Send the body as application/json.');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return problemDocument(400, 'malformed-json', 'The request body is not valid JSON.');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return problemDocument(400, 'bad-content-length', 'Content-Length does not match the body.');
  }
  const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
  if (status >= 500)
    return problemDocument(status, 'internal-error', 'Something went wrong on our side; the request id identifies it in our logs.');
  return problemDocument(status, 'request-error', error.message);
}
