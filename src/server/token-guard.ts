import type { FastifyRequest } from 'fastify';
import { TokenRejectedError } from '../clockify/tokens.js';
import type { ClockifyClaims, VerifyExpectations } from '../clockify/tokens.js';
import type { Runtime } from '../runtime.js';
import { HttpProblem } from './problems.js';

const CONTEXT_LABEL: Record<VerifyExpectations['context'], string> = {
  lifecycle: 'lifecycle token',
  webhook: 'webhook signature',
  user: 'user token',
  installation: 'installation token',
};

/**
 * Verifies a token and turns a rejection into the one error shape, a log line and a metric. The reply
 * names the reason (expired, signature, …) but never echoes the token or its claims.
 */
export async function verifyOrReject(
  runtime: Runtime,
  request: FastifyRequest,
  token: string | undefined,
  expect: VerifyExpectations,
): Promise<ClockifyClaims> {
  try {
    return await runtime.tokens.verify(token, expect);
  } catch (error) {
    if (error instanceof TokenRejectedError) {
      runtime.metrics.tokenRejections.inc({ reason: error.reason, context: error.context });
      request.log.warn({ reason: error.reason, context: error.context }, 'token rejected');
      throw new HttpProblem(
        error.status,
        error.status === 403 ? 'token-not-for-this-target' : 'invalid-token',
        `The ${CONTEXT_LABEL[error.context]} was rejected: ${error.reason.replaceAll('_', ' ')}.`,
      );
    }
    throw error;
  }
}

export function headerValue(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
