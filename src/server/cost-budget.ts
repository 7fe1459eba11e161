/**
 * The cost budget (issue 18): requests that make this server compute on a member's input (dry runs
 * evaluating JSONPath, regex and templates, explorer calls, payload searches, live streams) are
 * counted per member in a token bucket, and /ui requests whose token is missing or refused are
 * counted per IP address (each one still costs a signature check and a log line). Past a budget
 * the answer is 429 `too-many-requests` with Retry-After. Each cost is bounded elsewhere
 * (evaluation-budget.ts, json-limits.ts, stream-caps.ts); this bounds their rate, so one member
 * sending back to back cannot take the event loop from the webhooks every edition must ingest.
 *
 * The 429 is held for a moment before it is sent (COST_BUDGET_REFUSAL_DELAY_MS): a client that
 * ignores Retry-After and loops on refusals then gets a few answers a second, not thousands.
 * Buckets live in the process (each instance counts its own), like the SSE caps.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Runtime } from '../runtime.js';
import { HttpProblem } from './problems.js';
import { TokenBuckets } from './token-buckets.js';

/** Routes of the UI scope that run user-controlled work: `METHOD url` as Fastify declares it. */
export const COSTLY_ROUTES: ReadonlySet<string> = new Set([
  'POST /ui/flows/test',
  'POST /ui/flows/:flowId/test',
  'POST /ui/flows/steps/preview',
  'POST /ui/flows/steps/execute',
  'POST /ui/flows/:flowId/run',
  'POST /ui/flows/:flowId/backfill/preview',
  'POST /ui/flows/:flowId/backfill',
  'GET /ui/flows/schedule/preview',
  'POST /ui/api-explorer/execute',
  'POST /api-call',
  'POST /ui/api-explorer/history/:callId/rerun',
  'GET /ui/inspector/events',
  'GET /ui/webhooks/events',
  'GET /ui/webhooks/stream',
]);

/** Refusals held at once per member or address; more are answered at once (holding costs a socket each). */
const MAX_HELD_PER_KEY = 4;

export function isCostlyRoute(method: string, url: string | undefined): boolean {
  return url !== undefined && COSTLY_ROUTES.has(`${method} ${url}`);
}

class Refusals {
  private readonly held = new Map<string, number>();

  constructor(private readonly runtime: Runtime) {}

  /** Waits a little (see above), then throws the 429. */
  async refuse(budget: 'member' | 'ip', key: string, retryAfterMs: number, detail: string): Promise<never> {
    this.runtime.metrics.costBudgetRefusals.inc({ budget });
    const holding = this.held.get(key) ?? 0;
    const delay = holding < MAX_HELD_PER_KEY ? Math.min(this.runtime.config.costBudget.refusalDelayMs, retryAfterMs) : 0;
    if (delay > 0) {
      this.held.set(key, holding + 1);
      try {
        await new Promise((resolve) => setTimeout(resolve, delay).unref());
      } finally {
        const left = (this.held.get(key) ?? 1) - 1;
        if (left <= 0) this.held.delete(key);
        else this.held.set(key, left);
      }
    }
    const seconds = Math.max(1, Math.ceil((retryAfterMs - delay) / 1000));
    throw new HttpProblem(429, 'too-many-requests', `${detail} Try again in ${seconds} s.`, undefined, { 'retry-after': String(seconds) });
  }
}

/**
 * A budget of refusals per IP address in one scope: an address that has spent it gets 429 before
 * its request is looked at. Returns what counts one refusal against an address.
 */
function addressBudget(scope: FastifyInstance, runtime: Runtime, refused: string): (request: FastifyRequest) => void {
  const { ip } = runtime.config.costBudget;
  const buckets = new TokenBuckets(ip);
  const refusals = new Refusals(runtime);
  scope.addHook('onRequest', async (request) => {
    const answer = buckets.peek(request.ip, runtime.now());
    if (!answer.ok) {
      await refusals.refuse(
        'ip',
        `${refused} ${request.ip}`,
        answer.retryAfterMs,
        `Too many ${refused} from this address (COST_BUDGET_IP_BURST ${ip.burst}, COST_BUDGET_IP_PER_MINUTE ${ip.perMinute}).`,
      );
    }
  });
  return (request) => buckets.take(request.ip, runtime.now());
}

/**
 * Before the user-token check of the UI scope: an address that has spent its budget of refused
 * tokens gets a 429 before its token is looked at. Register before registerUserAuth, in its scope.
 */
export function registerAddressBudget(ui: FastifyInstance, runtime: Runtime): void {
  const count = addressBudget(ui, runtime, 'requests with a missing or refused token');
  ui.addHook('onResponse', (request, reply, done) => {
    // A token refused (or none given): the user check threw before `user` was set.
    if (!request.user && (reply.statusCode === 401 || reply.statusCode === 403)) count(request);
    done();
  });
}

/** After the user-token check and the access policy, in the UI scope: the member's bucket on the costly routes. */
export function registerMemberBudget(ui: FastifyInstance, runtime: Runtime): void {
  const { member } = runtime.config.costBudget;
  const buckets = new TokenBuckets(member);
  const refusals = new Refusals(runtime);
  ui.addHook('onRequest', async (request: FastifyRequest) => {
    if (!request.user || !isCostlyRoute(request.method, request.routeOptions.url)) return;
    const key = `${request.user.workspaceId}\u0000${request.user.userId}`;
    const answer = buckets.take(key, runtime.now());
    if (!answer.ok) {
      await refusals.refuse(
        'member',
        key,
        answer.retryAfterMs,
        `You have made too many expensive requests (dry runs, explorer calls, searches, streams) in a short time (COST_BUDGET_BURST ${member.burst}, COST_BUDGET_PER_MINUTE ${member.perMinute}).`,
      );
    }
  });
}

/** Parse-time refusals of a webhook body: each costs reading and scanning up to the body limit before the answer. */
const REFUSED_BODY_SLUGS: ReadonlySet<string> = new Set(['json-too-deep', 'json-too-many-keys', 'malformed-json']);
const REFUSED_BODY_CODES: ReadonlySet<string> = new Set(['FST_ERR_CTP_BODY_TOO_LARGE', 'FST_ERR_CTP_INVALID_MEDIA_TYPE']);

export function isRefusedBody(error: unknown): boolean {
  if (error instanceof HttpProblem) return REFUSED_BODY_SLUGS.has(error.slug);
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && REFUSED_BODY_CODES.has(code);
}

/**
 * In the webhooks' scope: an address whose webhook bodies keep being refused before any check
 * (too deep, too many keys, not JSON, too large, wrong type) is answered 429 before its next body
 * is read. Clockify never sends such a body, so its shared addresses are never counted; refused
 * signatures are not counted either, as a stale installation's deliveries come from those addresses.
 * Same sizes as the /ui address budget (COST_BUDGET_IP_BURST, COST_BUDGET_IP_PER_MINUTE).
 */
export function registerRefusedBodyBudget(webhooks: FastifyInstance, runtime: Runtime): void {
  const count = addressBudget(webhooks, runtime, 'webhook bodies refused');
  webhooks.addHook('onError', (request, _reply, error, done) => {
    if (isRefusedBody(error)) count(request);
    done();
  });
}
