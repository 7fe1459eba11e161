import type { WaitStep } from '../../model.js';
import { FLOW_LIMITS } from '../../shared/flow-constants.js';
import { renderValue, type TemplateContext } from '../../templates.js';
import type { StepKindDefinition } from '../types.js';
import { waitStepSchema } from './schema.js';

const MINUTE = 60_000;
const MAX_WAIT_MS = FLOW_LIMITS.waitDays * 24 * 60 * MINUTE;

/**
 * Parks the run: the executor records the run as `waiting` and queues a job due at the resume time.
 * The resumed run walks the flow again; steps done before reuse their records, and this step, seeing
 * its own `waiting` record and being resumed by its own job (or past due), lets the run go on.
 */
export const waitStep: StepKindDefinition<WaitStep> = {
  kind: 'wait',
  schema: waitStepSchema,
  templates: (step) => [['until', step.until]],
  idempotent: () => true,
  validate(step, field, _ctx, problems) {
    if ((step.for === undefined) === (step.until === undefined)) problems.add(field, 'needs exactly one of "for" and "until"');
    if (step.for) {
      const ms = durationMs(step.for);
      if (ms === 0) problems.add(`${field}.for`, 'must wait at least a minute');
      if (ms > MAX_WAIT_MS) problems.add(`${field}.for`, `may wait at most ${FLOW_LIMITS.waitDays} days (limit waitDays)`);
    }
    if (step.until !== undefined && !step.until.includes('{{') && Number.isNaN(Date.parse(step.until)))
      problems.add(`${field}.until`, 'must be an ISO 8601 date-time or a template');
  },
  async execute(step, env) {
    const now = env.runtime.now();
    const previous = env.previous?.status === 'waiting' ? (env.previous.response as { resumeAtMs?: number } | null)?.resumeAtMs : undefined;
    if (typeof previous === 'number') {
      // Its own job is the signal: re-reading a clock here could disagree with the one that found the
      // job due (another instance's, or one set back), and parking again inside that job would be
      // deduplicated against the job itself, leaving the run waiting for ever.
      if (previous <= now || env.resumedHere)
        return {
          status: 'succeeded',
          result: { resumeAt: new Date(previous).toISOString(), resumedAt: new Date(now).toISOString() },
          request: null,
        };
      return { status: 'waiting', result: { resumeAt: new Date(previous).toISOString() }, request: null, resumeAt: previous };
    }
    const due = resumeTime(step, env.context, now);
    if (!due.ok) return { status: 'failed', result: {}, request: null, error: due.error, ...(due.limit ? { limit: due.limit } : {}) };
    if (due.at <= now) return { status: 'succeeded', result: { resumeAt: new Date(due.at).toISOString() }, request: null };
    return { status: 'waiting', result: { resumeAt: new Date(due.at).toISOString() }, request: { resumeAt: due.at }, resumeAt: due.at };
  },
  async dryRun(step, env) {
    const due = resumeTime(step, env.context, env.runtime.now());
    if (!due.ok) return { request: null, missing: [], error: due.error, result: {} };
    const at = new Date(due.at).toISOString();
    return { request: { resumeAt: at }, missing: [], note: `the run would wait and go on at ${at}`, result: { resumeAt: at } };
  },
};

function durationMs(span: NonNullable<WaitStep['for']>): number {
  return ((span.days ?? 0) * 24 * 60 + (span.hours ?? 0) * 60 + (span.minutes ?? 0)) * MINUTE;
}

function resumeTime(
  step: WaitStep,
  context: TemplateContext,
  now: number,
): { ok: true; at: number } | { ok: false; error: string; limit?: string } {
  if (step.for) return { ok: true, at: now + durationMs(step.for) };
  const rendered = renderValue(step.until ?? '', context);
  if (!rendered.ok) return { ok: false, error: `until: ${rendered.message}` };
  const at = Date.parse(String(rendered.value ?? ''));
  if (Number.isNaN(at)) return { ok: false, error: `until: "${String(rendered.value ?? '')}" is not an ISO 8601 date-time` };
  if (at - now > MAX_WAIT_MS)
    return { ok: false, error: `until: more than ${FLOW_LIMITS.waitDays} days ahead (limit waitDays)`, limit: 'waitDays' };
  return { ok: true, at };
}
