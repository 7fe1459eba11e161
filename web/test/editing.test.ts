import { describe, expect, it } from 'vitest';
import type { OperationParameter } from '../src/api/types';
import { conditionValueText, flowFromCall, moveItem, parseConditionValue, uniqueActionId } from '../src/lib/flow-draft';
import { insertAt, insideJsonString, toJsonPath, toTemplate } from '../src/lib/json-path';
import { buildParams, coerceValue, errorsByParam, initialValues, inputKindOf, parseBody, placeholderOf } from '../src/lib/params';
import { draftProblems } from '../src/views/flows/flow-checks';

describe('field picker addresses', () => {
  it('writes JSONPaths the flow conditions accept', () => {
    expect(toJsonPath(['project', 'name'])).toBe('$.project.name');
    expect(toJsonPath(['tagIds', 0])).toBe('$.tagIds[0]');
    expect(toJsonPath(["it's", 'x-y'])).toBe("$['it\\'s']['x-y']");
    expect(toJsonPath([])).toBe('$');
  });

  it('writes templates the flow actions accept', () => {
    expect(toTemplate(['timeInterval', 'start'])).toBe('{{ event.timeInterval.start }}');
    expect(toTemplate(['tags', 0, 'id'])).toBe('{{ event.tags[0].id }}');
    expect(toTemplate(['content-type'])).toBe('{{ event["content-type"] }}');
  });

  it('inserts at the caret, replacing a selection', () => {
    expect(insertAt('Hello !', 6, 6, 'you')).toEqual({ value: 'Hello you!', caret: 9 });
    expect(insertAt('Hello world', 6, 11, 'you')).toEqual({ value: 'Hello you', caret: 9 });
    expect(insertAt('abc', null, null, 'd')).toEqual({ value: 'abcd', caret: 4 });
  });

  it('knows whether the caret of a JSON body is inside a string', () => {
    const text = '{"name": "a \\" b", "x": 1}';
    expect(insideJsonString(text, text.indexOf('a '))).toBe(true);
    expect(insideJsonString(text, text.indexOf(' b') + 1)).toBe(true);
    expect(insideJsonString(text, text.indexOf('1'))).toBe(false);
  });
});

const param = (name: string, schema: Record<string, unknown>, extra: Partial<OperationParameter> = {}): OperationParameter => ({
  name,
  in: 'query',
  required: false,
  schema,
  ...extra,
});

describe('operation forms', () => {
  const params = [
    param('workspaceId', { type: 'string' }, { in: 'path', required: true }),
    param('page-size', { type: 'integer', default: 50 }),
    param('archived', { type: 'boolean' }),
    param('sort-order', { type: 'string', enum: ['ASCENDING', 'DESCENDING'] }),
    param('excluded-ids', { type: 'array', items: { type: 'string' } }),
    param('ratio', { type: 'number' }),
  ];

  it('picks an input per schema type', () => {
    expect(params.map(inputKindOf)).toEqual(['text', 'integer', 'boolean', 'enum', 'array', 'number']);
  });

  it('fills known values of required parameters; optional ones stay unset, their default only a placeholder', () => {
    expect(initialValues(params, { workspaceId: 'w1' })).toMatchObject({ workspaceId: 'w1', 'page-size': '', archived: '' });
    expect(initialValues([param('include-roles', { type: 'boolean', default: false }, { required: true })], {})).toEqual({
      'include-roles': 'false',
    });
    expect(placeholderOf(params[1]!)).toBe('not set (default 50)');
    expect(placeholderOf(params[2]!)).toBe('not set');
    expect(initialValues(params, { workspaceId: 'w1' }, { 'page-size': 5, 'excluded-ids': ['a', 'b'] })).toMatchObject({
      'page-size': '5',
      'excluded-ids': 'a, b',
    });
  });

  it('turns the typed text into typed parameters and leaves empty ones out', () => {
    const values = {
      workspaceId: 'w1',
      'page-size': '20',
      archived: 'true',
      'sort-order': 'DESCENDING',
      'excluded-ids': ' a, b ,',
      ratio: '',
    };
    expect(buildParams(params, values)).toEqual({
      workspaceId: 'w1',
      'page-size': 20,
      archived: true,
      'sort-order': 'DESCENDING',
      'excluded-ids': ['a', 'b'],
    });
  });

  it('keeps text that is not a number so the server can name the field', () => {
    expect(coerceValue(params[1]!, 'twenty')).toBe('twenty');
  });

  it("maps the server's field errors to the inputs", () => {
    expect(
      errorsByParam([
        { field: 'params.page-size', message: 'must be <= 200' },
        { field: 'body.name', message: 'is required' },
      ]),
    ).toEqual({ 'page-size': 'must be <= 200' });
  });

  it('parses the body editor: empty is no body, bad JSON is explained', () => {
    expect(parseBody('  ')).toEqual({ ok: true, value: undefined });
    expect(parseBody('{"a":1}')).toEqual({ ok: true, value: { a: 1 } });
    expect(parseBody('{a:1}').ok).toBe(false);
  });
});

describe('flow drafts', () => {
  it('makes action ids valid and unique', () => {
    expect(uniqueActionId('update-Time entry!', [])).toBe('updateTimeentry');
    expect(uniqueActionId('42go', [])).toBe('go');
    expect(uniqueActionId('', [])).toBe('step');
    expect(uniqueActionId('call', ['call', 'call2'])).toBe('call3');
  });

  it('turns an explorer call into a disabled flow without the workspace pinned', () => {
    const flow = flowFromCall({ operationId: 'getTags', params: { workspaceId: 'w1', 'page-size': 10 }, summary: 'Find tags' }, 'NEW_TAG');
    expect(flow).toMatchObject({ name: 'Find tags', enabled: false, trigger: { kind: 'clockify', events: ['NEW_TAG'] } });
    expect(flow.actions).toEqual([
      { id: 'getTags', name: 'Find tags', kind: 'clockify', operationId: 'getTags', params: { 'page-size': 10 } },
    ]);
  });

  it('reads condition values as JSON when they are JSON and as text otherwise, and shows them back the same way', () => {
    expect(parseConditionValue('12')).toBe(12);
    expect(parseConditionValue('["a","b"]')).toEqual(['a', 'b']);
    expect(parseConditionValue('Apollo project')).toBe('Apollo project');
    for (const value of ['12', 'true', 'Apollo', 12, ['a']]) expect(parseConditionValue(conditionValueText(value))).toEqual(value);
  });

  it('moves items within bounds only', () => {
    expect(moveItem(['a', 'b', 'c'], 0, 2)).toEqual(['b', 'c', 'a']);
    expect(moveItem(['a', 'b'], 0, -1)).toEqual(['a', 'b']);
  });

  it('lists what is missing before a save', () => {
    const problems = draftProblems(
      {
        name: ' ',
        enabled: true,
        trigger: { kind: 'clockify', events: [] },
        conditions: { mode: 'all', rules: [{ path: '$.', op: 'exists' }] },
        actions: [],
      },
      1,
    );
    expect(problems).toEqual([
      'Give the flow a name.',
      'Choose at least one event that starts the flow.',
      'Add at least one step.',
      'Every condition needs a field path, such as $.projectId.',
      'Fix the JSON errors in the step bodies.',
    ]);
    const ok = draftProblems(
      {
        name: 'x',
        enabled: true,
        trigger: { kind: 'clockify', events: ['NEW_TAG'] },
        conditions: { mode: 'all', rules: [] },
        actions: [{ id: 'a', kind: 'clockify', operationId: 'getTags' }],
      },
      0,
    );
    expect(ok).toEqual([]);
  });

  it('names bad action ids, duplicates and URLs by step', () => {
    const problems = draftProblems(
      {
        name: 'x',
        enabled: true,
        trigger: { kind: 'custom', sourceId: '' },
        conditions: { mode: 'all', rules: [] },
        actions: [
          { id: '1st', kind: 'clockify', operationId: '' },
          { id: 'a', kind: 'http', method: 'POST', url: 'ftp://x' },
          { id: 'a', kind: 'http', method: 'POST', url: 'https://example.com/{{ event.id }}' },
        ],
      },
      0,
    );
    expect(problems).toEqual([
      'Choose the custom source that starts the flow.',
      'Step 1: the id must start with a letter and use only letters, digits and _.',
      'Step 1: choose the Clockify operation to call.',
      'Step 2: the URL must start with http:// or https:// and a host.',
      'Step 3: the id "a" is used twice.',
    ]);
  });
});
