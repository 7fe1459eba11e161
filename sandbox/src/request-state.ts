import type { FastifyRequest } from 'fastify';
import type { Installation } from './installations.js';
import type { MatchedRoute } from './spec/openapi.js';
import type { VerifiedToken } from './tokens.js';
import type { TriggerContext } from './webhook-registry.js';

export interface PendingEvent {
  workspaceId: string;
  event: string;
  payload: unknown;
  trigger?: TriggerContext;
}

/** What the sandbox learns about a REST call while handling it. */
export interface RequestState {
  /** Epoch ms (sub-ms precision): arrival, or the moment it passed the rate limiter. */
  at: number;
  isApi: boolean;
  /** Workspace named in the URL, if any. */
  pathWorkspaceId?: string;
  token?: VerifiedToken;
  installation?: Installation;
  match?: MatchedRoute;
  /** Webhooks to send once the answer is out (Clockify notifies after the change is committed). */
  events: PendingEvent[];
}

// A WeakMap instead of a Fastify decorator keeps the sandbox from changing Fastify's global types.
const states = new WeakMap<FastifyRequest, RequestState>();

export function setRequestState(request: FastifyRequest, state: RequestState): void {
  states.set(request, state);
}

export function requestState(request: FastifyRequest): RequestState {
  let state = states.get(request);
  if (!state) {
    state = { at: preciseNow(), isApi: false, events: [] };
    states.set(request, state);
  }
  return state;
}

export function preciseNow(): number {
  return performance.timeOrigin + performance.now();
}
