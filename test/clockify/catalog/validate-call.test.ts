import { describe, expect, it } from 'vitest';
import {
  buildCatalog,
  exampleBody,
  exampleFromSchema,
  getCatalog,
  validateCall,
  type Operation,
} from '../../../src/clockify/catalog/index.js';

const catalog = getCatalog();
const op = (id: string): Operation => catalog.get(id)!;
const fields = (problems: { field: string }[]) => problems.map((problem) => problem.field).sort();

describe('validateCall: parameters', () => {
  it('accepts a correct call, coercing strings from forms', () => {
    const problems = validateCall(op('getProjects'), {
      params: { workspaceId: 'ws1', page: '2', 'page-size': '10', archived: 'true', clients: 'c1', 'client-status': 'ACTIVE' },
    });
    expect(problems).toEqual([]);
  });

  it('names each bad parameter', () => {
    const problems = validateCall(op('getProjects'), {
      params: { page: 'two', 'client-status': 'SOMETIMES', archived: 'maybe', colour: 'red' },
    });
    expect(fields(problems)).toEqual(['params.archived', 'params.client-status', 'params.colour', 'params.page', 'params.workspaceId']);
    expect(problems.find((problem) => problem.field === 'params.client-status')?.message).toContain('ACTIVE, ARCHIVED, ALL');
    expect(problems.find((problem) => problem.field === 'params.workspaceId')?.message).toBe('is required');
    expect(problems.find((problem) => problem.field === 'params.colour')?.message).toContain('not a parameter');
  });

  it('treats an empty path parameter as missing', () => {
    const problems = validateCall(op('getProject'), { params: { workspaceId: 'ws1', projectId: '' } });
    expect(problems).toEqual([{ field: 'params.projectId', message: 'is required' }]);
  });

  it('enforces documented bounds', () => {
    const problems = validateCall(op('getInProgressTimeEntries'), { params: { workspaceId: 'ws1', 'page-size': 5000 } });
    expect(fields(problems)).toEqual(['params.page-size']);
  });

  it("does not change the caller's values while coercing", () => {
    const params = { workspaceId: 'ws1', page: '2', users: ['u1'] };
    validateCall(op('getProjects'), { params });
    expect(params).toEqual({ workspaceId: 'ws1', page: '2', users: ['u1'] });
  });
});

describe('validateCall: body', () => {
  it('names wrong body fields, nested ones by path', () => {
    const client = validateCall(op('createClient'), { params: { workspaceId: 'ws1' }, body: { name: 5 } });
    expect(fields(client)).toEqual(['body.name']);

    const report = validateCall(op('generateDetailedReport'), {
      params: { workspaceId: 'ws1' },
      body: { dateRangeStart: '2024-01-01T00:00:00Z', dateRangeEnd: '2024-01-31T23:59:59Z', detailedFilter: { page: 'first' } },
    });
    expect(fields(report)).toEqual(['body.detailedFilter.page']);
  });

  it('reports missing required body fields by name', () => {
    const problems = validateCall(op('createWebhook'), { params: { workspaceId: 'ws1' }, body: { url: 'https://example.com/hook' } });
    expect(fields(problems)).toEqual(['body.triggerSource', 'body.triggerSourceType', 'body.webhookEvent']);
  });

  it('rejects values outside a body enum', () => {
    const problems = validateCall(op('createWebhook'), {
      params: { workspaceId: 'ws1' },
      body: { url: 'https://example.com/hook', webhookEvent: 'NOT_AN_EVENT', triggerSource: [], triggerSourceType: 'PROJECT_ID' },
    });
    expect(fields(problems)).toEqual(['body.webhookEvent']);
  });

  it('requires a body where the spec does, and refuses one where there is none', () => {
    expect(validateCall(op('createClient'), { params: { workspaceId: 'ws1' } })).toEqual([{ field: 'body', message: 'is required' }]);
    expect(fields(validateCall(op('getProjects'), { params: { workspaceId: 'ws1' }, body: {} }))).toEqual(['body']);
  });

  it('checks multipart bodies for their required fields', () => {
    expect(fields(validateCall(op('uploadImage'), { body: {} }))).toEqual(['body.file']);
    const form = new FormData();
    form.append('file', new Blob(['png']), 'a.png');
    expect(validateCall(op('uploadImage'), { body: form })).toEqual([]);
  });

  it('honours OpenAPI 3.0 nullable', () => {
    const spec = {
      paths: {
        '/v1/things': {
          post: {
            operationId: 'createThing',
            requestBody: {
              required: true,
              content: {
                'application/json': {
                  schema: { type: 'object', properties: { note: { type: 'string', nullable: true }, size: { type: 'integer' } } },
                },
              },
            },
            responses: {},
          },
        },
      },
    };
    const thing = buildCatalog(spec).get('createThing')!;
    expect(validateCall(thing, { body: { note: null } })).toEqual([]);
    expect(fields(validateCall(thing, { body: { note: 3, size: null } }))).toEqual(['body.note', 'body.size']);
  });

  it('accepts the generated example parameters and body of every operation', () => {
    for (const operation of catalog.operations) {
      const params: Record<string, unknown> = {};
      for (const parameter of operation.parameters) if (parameter.required) params[parameter.name] = exampleFromSchema(parameter.schema);
      const problems = validateCall(operation, { params, body: exampleBody(operation) });
      expect({ operation: operation.operationId, problems }).toEqual({ operation: operation.operationId, problems: [] });
    }
  });
});
