/**
 * The pure translations from the Python system's shapes to ours: explorer bodies, flow definitions,
 * custom event type places and SQLAlchemy URLs. The running editions are checked in drop-in.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { getCatalog } from '../../src/clockify/catalog/index.js';
import { fromSqlAlchemyUrl } from '../../src/config/env-spec.js';
import { translateExplorerBody } from '../../src/explorer/request-shapes.js';
import { evaluateConditions } from '../../src/flows/conditions.js';
import { jsonPathToTemplate, translatePythonFlow } from '../../src/flows/python-import.js';
import { validateFlowDefinition } from '../../src/flows/validate.js';
import { CLOCKIFY_EVENTS } from '../../src/editions/events.js';
import { eventTypeOf, parseEventTypeLocation } from '../../src/ingest/custom-event-type.js';

const catalog = getCatalog();

describe('explorer bodies', () => {
  it('translates every shape to the same call', () => {
    const expected = { operationId: 'getProjects', params: { name: 'x' } };
    expect(translateExplorerBody({ operationId: 'getProjects', params: { name: 'x' } }, catalog)).toMatchObject({
      ok: true,
      call: expected,
    });
    expect(translateExplorerBody({ operation_id: 'getProjects', path_params: {}, query_params: { name: 'x' } }, catalog)).toMatchObject({
      ok: true,
      call: expected,
    });
    expect(translateExplorerBody({ operation_id: 'getProjects', params: { path: {}, query: { name: 'x' } } }, catalog)).toMatchObject({
      ok: true,
      call: expected,
    });
    expect(
      translateExplorerBody({ method: 'get', path: '/v1/workspaces/{workspaceId}/projects', query: { name: 'x' } }, catalog),
    ).toMatchObject({ ok: true, call: expected });
    expect(
      translateExplorerBody({ method: 'GET', endpoint: '/api/v1/workspaces/{workspaceId}/projects', query: { name: 'x' } }, catalog),
    ).toMatchObject({ ok: true, call: expected });
  });

  it('reads path parameters out of a concrete path', () => {
    const result = translateExplorerBody({ method: 'GET', endpoint: '/workspaces/ws1/projects/p1' }, catalog);
    expect(result).toMatchObject({ ok: true, call: { operationId: 'getProject', params: { workspaceId: 'ws1', projectId: 'p1' } } });
  });

  it('keeps the UW body in params.body and refuses two bodies', () => {
    expect(translateExplorerBody({ operation_id: 'createNewTag', params: { body: { name: 't' } } }, catalog)).toMatchObject({
      ok: true,
      call: { operationId: 'createNewTag', body: { name: 't' } },
    });
    expect(translateExplorerBody({ operation_id: 'createNewTag', params: { body: {} }, body: {} }, catalog)).toMatchObject({
      ok: false,
      problems: [{ field: 'body' }],
    });
  });

  it('refuses unknown fields, wrong types and unknown endpoints with the field named', () => {
    expect(translateExplorerBody({ operationId: 'getProjects', qurey: {} }, catalog)).toMatchObject({
      ok: false,
      problems: [{ field: 'qurey' }],
    });
    expect(translateExplorerBody({ operation_id: 'getProjects', query: {} }, catalog)).toMatchObject({
      ok: false,
      problems: [{ field: 'query' }],
    });
    expect(translateExplorerBody({ operationId: 'getProjects', params: 'name=x' }, catalog)).toMatchObject({
      ok: false,
      problems: [{ field: 'params' }],
    });
    expect(translateExplorerBody({ method: 'GET', endpoint: '/nowhere' }, catalog)).toMatchObject({
      ok: false,
      problems: [{ field: 'endpoint' }],
    });
    expect(translateExplorerBody({ params: {} }, catalog)).toMatchObject({ ok: false, problems: [{ field: 'operationId' }] });
    expect(translateExplorerBody([], catalog)).toMatchObject({ ok: false });
  });
});

describe('Python flow definitions', () => {
  const base = {
    name: 'f',
    enabled: true,
    trigger_event_types: ['NEW_TAG'],
    actions: [{ operation_id: 'getTags', query_params: { name: '$.webhook.name' } }],
  };
  const valid = (definition: unknown) =>
    validateFlowDefinition(definition, { allowedEvents: [...CLOCKIFY_EVENTS], httpActionsEnabled: false, catalog });

  it('translates to a definition our validation accepts', () => {
    const result = translatePythonFlow(base);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value).toEqual({
      name: 'f',
      enabled: true,
      trigger: { kind: 'clockify', events: ['NEW_TAG'] },
      conditions: { mode: 'all', rules: [] },
      actions: [{ id: 'action_0', kind: 'clockify', operationId: 'getTags', params: { name: '{{ event.name }}' } }],
    });
    expect(valid(result.value).ok).toBe(true);
  });

  it('keeps its "ANY without rules never matches" meaning', () => {
    const result = translatePythonFlow({ ...base, conditions: { type: 'ANY', rules: [] } });
    expect(result.ok && evaluateConditions(result.value.conditions as never, { any: 'event' }).matched).toBe(false);
    expect(result.ok && valid(result.value).ok).toBe(true);
    const all = translatePythonFlow({ ...base, conditions: { type: 'ALL', rules: [] } });
    expect(all.ok && evaluateConditions(all.value.conditions as never, { any: 'event' }).matched).toBe(true);
  });

  it('translates JSONPaths into templates and keeps constants literal', () => {
    expect(jsonPathToTemplate('$.webhook.tags[0].id')).toBe('{{ event.tags[0].id }}');
    expect(jsonPathToTemplate("$.action_2_result['x']")).toBe('{{ steps.action_2.body["x"] }}');
    expect(jsonPathToTemplate('$.webhook..id')).toBeUndefined();
    const result = translatePythonFlow({ ...base, actions: [{ operation_id: 'createNewTag', body: { name: 'literal {{ braces }}' } }] });
    expect(result.ok && (result.value.actions as { body: unknown }[])[0]!.body).toEqual({ name: 'literal \\{{ braces }}' });
  });

  it('refuses what has no counterpart, naming each field', () => {
    const result = translatePythonFlow({
      ...base,
      schedule: 'daily',
      conditions: {
        type: 'ALL',
        rules: [
          { field: '$.x', operator: '>', value: 1 },
          { field: 'x', operator: '==' },
        ],
      },
      actions: [{ type: 'SEND_EMAIL' }, { operation_id: 'getTags', query_params: { name: '$.webhook[?(@.a)]' } }],
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((problem) => problem.field)).toEqual([
      'schedule',
      'conditions.rules[0].operator',
      'conditions.rules[1].field',
      'actions[0].type',
      'actions[1].query_params.name',
    ]);
  });

  it('asks for a custom source that exists', () => {
    expect(translatePythonFlow({ ...base, trigger_source: 'shop' })).toMatchObject({ ok: false, problems: [{ field: 'trigger_source' }] });
    expect(
      translatePythonFlow({ ...base, trigger_source: 'shop' }, { customSourceId: (name) => (name === 'shop' ? 'src1' : undefined) }),
    ).toMatchObject({ ok: true, value: { trigger: { kind: 'custom', sourceId: 'src1', eventTypes: ['NEW_TAG'] } } });
  });

  it('translates only the given fields of a partial update', () => {
    expect(translatePythonFlow({ enabled: false }, {}, true)).toEqual({ ok: true, value: { enabled: false } });
  });
});

describe('custom event type', () => {
  const none = () => undefined;
  it('reads event_type first, then type, event, eventType, then headers', () => {
    expect(eventTypeOf(null, { event_type: 'a', type: 'b' }, none)).toBe('a');
    expect(eventTypeOf(null, { type: 'b', event: 'c' }, none)).toBe('b');
    expect(eventTypeOf(null, {}, (name) => (name === 'x-github-event' ? 'push' : undefined))).toBe('push');
    expect(eventTypeOf(null, [1, 2], none)).toBe('custom');
  });
  it('reads the configured header or JSON path, and only there', () => {
    expect(eventTypeOf('header:X-Topic', { event_type: 'no' }, (name) => (name === 'x-topic' ? 'yes' : undefined))).toBe('yes');
    expect(eventTypeOf('$.meta.kind', { event_type: 'no', meta: { kind: 7 } }, none)).toBe('7');
    expect(eventTypeOf('$.meta.kind', { event_type: 'no' }, none)).toBe('custom');
  });
  it('refuses a place it cannot read', () => {
    expect(parseEventTypeLocation('body.type').ok).toBe(false);
    expect(parseEventTypeLocation('$[').ok).toBe(false);
    expect(parseEventTypeLocation('header:X Topic').ok).toBe(false);
  });
});

describe('SQLAlchemy URLs', () => {
  it.each([
    ['sqlite+aiosqlite:///./api_studio.db', 'sqlite:./api_studio.db'],
    ['sqlite+aiosqlite:////var/data/x.db', 'sqlite:/var/data/x.db'],
    ['sqlite:///../x.db', 'sqlite:../x.db'],
    ['sqlite+aiosqlite:///:memory:', ':memory:'],
    ['postgresql+asyncpg://u:p@h:5432/db', 'postgresql://u:p@h:5432/db'],
    ['postgres://u@h/db', 'postgres://u@h/db'],
    ['sqlite:/abs/ours.db', 'sqlite:/abs/ours.db'],
  ])('%s is read as %s', (given, expected) => expect(fromSqlAlchemyUrl(given)).toBe(expected));
});
