import type { FastifyRequest } from 'fastify';

/** Only these request headers are kept with an event: enough to debug, never a credential. */
const KEPT_HEADERS = [
  'content-type',
  'content-length',
  'user-agent',
  'clockify-webhook-event-type',
  'webhook-id',
  'webhook-timestamp',
  'x-request-id',
  'x-event-type',
  'x-delivery-id',
  'x-github-event',
  'x-github-delivery',
];

export function keptHeaders(request: FastifyRequest): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const name of KEPT_HEADERS) {
    const value = request.headers[name];
    if (typeof value === 'string') kept[name] = value.slice(0, 500);
  }
  return kept;
}
