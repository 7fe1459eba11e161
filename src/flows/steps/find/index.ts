import type { FindStep } from '../../model.js';
import { FIND_ENTITIES } from '../../shared/flow-constants.js';
import { renderValue, type TemplateContext } from '../../templates.js';
import type { StepKindDefinition } from '../types.js';
import { createThroughApi, findInCache, findThroughApi, type FindQuery } from './lookup.js';
import { findStepSchema } from './schema.js';

/**
 * Looks an entity up by a field: the bootstrap cache, then Clockify; when missing it fails, goes on
 * with `{ found: false }`, or creates it ("find or create").
 */
export const findStep: StepKindDefinition<FindStep> = {
  kind: 'find',
  schema: findStepSchema,
  templates: (step) => [
    ['by', step.by],
    ['projectId', step.projectId],
    ['create', step.create],
  ],
  // Safe to send again: a repeat looks the entity up first, so it finds what an interrupted attempt created.
  idempotent: () => true,
  writes: (step) => step.ifMissing === 'create',
  validate(step, field, _ctx, problems) {
    const entity = FIND_ENTITIES[step.entity];
    if (!(entity.fields as readonly string[]).includes(step.by.field))
      problems.add(`${field}.by.field`, `a ${step.entity} can be found by: ${entity.fields.join(', ')}`);
    if (entity.needsProject && step.projectId === undefined) problems.add(`${field}.projectId`, `is required to find a ${step.entity}`);
    if (!entity.needsProject && step.projectId !== undefined) problems.add(`${field}.projectId`, `only tasks are found within a project`);
    if (step.ifMissing === 'create' && !entity.creatable)
      problems.add(`${field}.ifMissing`, `a ${step.entity} cannot be created by a flow`);
    if (step.ifMissing === 'create' && step.by.field === 'id')
      problems.add(`${field}.by.field`, 'find by name to create what is missing (ids are given by Clockify)');
    if (step.create !== undefined && step.ifMissing !== 'create') problems.add(`${field}.create`, "only with ifMissing 'create'");
  },
  async execute(step, env) {
    const query = renderQuery(step, env.context, env.workspaceId);
    if (!query.ok) return { status: 'failed', result: {}, request: null, error: query.error };
    const request = {
      entity: step.entity,
      by: { field: step.by.field, value: query.query.value },
      ...(query.query.projectId ? { projectId: query.query.projectId } : {}),
    };
    if (query.query.value === '') return missing(step, request, 'the value to find by is empty');
    const cached = await findInCache(env.runtime, query.query);
    if (cached) return { status: 'succeeded', result: { found: true, ...cached }, request: { ...request, source: 'cache' } };
    const answer = await findThroughApi(env.runtime, query.query, env.signal);
    if (!answer.ok)
      return { status: 'failed', result: {}, request: { ...request, source: 'api' }, error: answer.error, retryable: answer.retryable };
    if (answer.entity) return { status: 'succeeded', result: { found: true, ...answer.entity }, request: { ...request, source: 'api' } };
    if (step.ifMissing !== 'create')
      return missing(step, { ...request, source: 'api' }, `no ${step.entity} with ${step.by.field} "${query.query.value}"`);
    const extra = step.create === undefined ? { ok: true as const, value: {} } : renderValue(step.create, env.context);
    if (!extra.ok) return { status: 'failed', result: {}, request, error: `create: ${extra.message}` };
    const created = await createThroughApi(env.runtime, query.query, extra.value as Record<string, unknown>, env.signal);
    if (!created.ok)
      return {
        status: 'failed',
        result: {},
        request: { ...request, source: 'api', create: created.request },
        error: created.error,
        retryable: created.retryable,
      };
    return {
      status: 'succeeded',
      result: { found: false, created: true, ...created.entity },
      request: { ...request, source: 'api', create: created.request },
    };
  },
  async dryRun(step, env) {
    const query = renderQuery(step, env.context, env.workspaceId);
    if (!query.ok) return { request: null, missing: query.missing, error: query.error, result: {} };
    const request = { entity: step.entity, by: { field: step.by.field, value: query.query.value } };
    // Only the cache: a dry run calls nothing.
    const cached = query.query.value === '' ? undefined : await findInCache(env.runtime, query.query);
    if (cached)
      return {
        request,
        missing: query.missing,
        note: `found in the workspace cache: ${String(cached.name ?? cached.id)}`,
        result: { found: true, ...cached },
      };
    const otherwise =
      step.ifMissing === 'create'
        ? `would create it if Clockify has none`
        : step.ifMissing === 'fail'
          ? 'the run would fail if Clockify has none'
          : 'would go on without it if Clockify has none';
    return {
      request,
      missing: query.missing,
      note: `not in the workspace cache; would ask Clockify; ${otherwise}`,
      result: { found: false },
    };
  },
};

function missing(step: FindStep, request: unknown, reason: string) {
  if (step.ifMissing === 'fail') return { status: 'failed' as const, result: { found: false }, request, error: reason };
  return { status: 'succeeded' as const, result: { found: false }, request };
}

function renderQuery(
  step: FindStep,
  context: TemplateContext,
  workspaceId: string,
): { ok: true; query: FindQuery; missing: string[] } | { ok: false; error: string; missing: string[] } {
  const value = renderValue(step.by.value, context);
  if (!value.ok) return { ok: false, error: `by.value: ${value.message}`, missing: value.missing };
  const project = step.projectId === undefined ? undefined : renderValue(step.projectId, context);
  if (project && !project.ok) return { ok: false, error: `projectId: ${project.message}`, missing: project.missing };
  const projectId = project ? String(project.value ?? '') : undefined;
  if (projectId === '') return { ok: false, error: 'projectId: is empty', missing: project?.missing ?? [] };
  const query: FindQuery = {
    workspaceId,
    entity: step.entity,
    field: step.by.field,
    value: String(value.value ?? ''),
    ...(projectId !== undefined ? { projectId } : {}),
  };
  return { ok: true, query, missing: [...value.missing, ...(project?.missing ?? [])] };
}
