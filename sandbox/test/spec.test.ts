import { describe, expect, it } from 'vitest';
import { buildExample } from '../src/spec/example.js';
import { normalizeSchema } from '../src/spec/normalize.js';
import { matchSpecRoute, specRoutes, successResponse } from '../src/spec/openapi.js';
import { SpecValidator } from '../src/spec/validator.js';

describe('spec normalization', () => {
  it('turns springdoc enum wrappers into string enums, as Clockify sends them', () => {
    const wrapped = { type: 'object', oneOf: [{ type: 'string', enum: ['ACTIVE', 'DONE'] }], properties: { ACTIVE: { type: 'string' } } };
    expect(normalizeSchema(wrapped)).toEqual({ type: 'string', enum: ['ACTIVE', 'DONE'] });
  });

  it('drops self-referencing oneOf and opens bare objects', () => {
    const featurePlan = {
      type: 'object',
      oneOf: [{ $ref: '#/components/schemas/FeaturePlan' }],
      properties: { paidPlan: { type: 'boolean' } },
    };
    expect(normalizeSchema(featurePlan, {}, 'FeaturePlan')).toEqual({ type: 'object', properties: { paidPlan: { type: 'boolean' } } });
    expect(normalizeSchema({ type: 'object', description: 'any value' })).toEqual({});
  });

  it('handles OpenAPI 3.0 nullable and, for answers, null in any property', () => {
    expect(normalizeSchema({ type: 'string', nullable: true })).toEqual({ anyOf: [{ type: 'string' }, { type: 'null' }] });
    const answer = new SpecValidator('response');
    const request = new SpecValidator('request');
    const schema = { type: 'object', properties: { taskId: { type: 'string' } } };
    expect(answer.validate(schema, { taskId: null })).toBeUndefined();
    expect(request.validate(schema, { taskId: null })).toMatch(/taskId/);
    expect(answer.validate(schema, { taskId: 5 })).toMatch(/taskId/);
  });
});

describe('route matching', () => {
  it('prefers literal segments and maps servers to /api, /reports and /auditlog', () => {
    expect(matchSpecRoute('POST', '/api/v1/workspaces/w1/projects/from-template')?.route.specPath).toBe(
      '/v1/workspaces/{workspaceId}/projects/from-template',
    );
    expect(matchSpecRoute('GET', '/api/v1/workspaces/w1/projects/p1')?.params).toEqual({ workspaceId: 'w1', projectId: 'p1' });
    expect(matchSpecRoute('POST', '/reports/v1/workspaces/w1/reports/detailed')).toBeDefined();
    expect(matchSpecRoute('POST', '/api/v1/workspaces/w1/reports/detailed')).toBeUndefined();
    expect(matchSpecRoute('POST', '/auditlog/v1/workspaces/w1/audit-log')).toBeDefined();
  });
});

describe('example answers', () => {
  it('validate against their own response schema for every operation of the spec', () => {
    // Strict mode (no nulls) implies validity in answer mode, which only adds null to each property.
    const strict = new SpecValidator('request');
    const failures: string[] = [];
    let checked = 0;
    for (const route of specRoutes()) {
      const { schema } = successResponse(route.operation);
      if (!schema) continue;
      checked++;
      const example = buildExample(schema, { params: { workspaceId: '64a687e29ae1f428e7ebe303' } });
      const problem = strict.validate(schema, example);
      if (problem) failures.push(`${route.method} ${route.specPath}: ${problem}`);
    }
    expect(checked).toBeGreaterThan(150);
    expect(failures).toEqual([]);
  });

  it('returns a few items for arrays and is deterministic', () => {
    const schema = { type: 'array', items: { $ref: '#/components/schemas/TagDtoV1' } };
    const a = buildExample(schema, { params: { workspaceId: 'ws-1' } }) as Array<Record<string, unknown>>;
    expect(a).toHaveLength(3);
    expect(a.map((t) => t['workspaceId'])).toEqual(['ws-1', 'ws-1', 'ws-1']);
    expect(new Set(a.map((t) => t['id'])).size).toBe(3);
    expect(a[0]!['id']).toMatch(/^[0-9a-f]{24}$/);
    expect(buildExample(schema, { params: { workspaceId: 'ws-1' } })).toEqual(a);
  });
});
