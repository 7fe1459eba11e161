import { describe, expect, it } from 'vitest';
import { CLOCKIFY_EVENTS_FOR_TESTS } from './events.js';
import { catalogFromOpenApi } from './openapi-catalog.js';
import { validateFlowDefinition, type FlowValidationContext } from '../../src/flows/validate.js';

const ctx: FlowValidationContext = {
  allowedEvents: CLOCKIFY_EVENTS_FOR_TESTS,
  httpActionsEnabled: true,
  customSourceIds: ['src1'],
  catalog: catalogFromOpenApi(),
};

function validFlow(): Record<string, unknown> {
  return {
    name: 'Tag urgent entries',
    enabled: true,
    trigger: { kind: 'clockify', events: ['NEW_TIME_ENTRY'] },
    conditions: {
      mode: 'all',
      rules: [
        { path: '$.projectId', op: 'equals', value: 'p1' },
        { mode: 'any', rules: [{ path: '$.description', op: 'matches', value: 'urgent' }] },
      ],
    },
    actions: [
      { id: 'getEntry', kind: 'clockify', operationId: 'getTimeEntry', params: { id: '{{ event.id }}' } },
      {
        id: 'update',
        kind: 'clockify',
        operationId: 'updateTimeEntry',
        params: { id: '{{ steps.getEntry.body.id }}' },
        body: { start: '{{ steps.getEntry.body.timeInterval.start }}', tagIds: ['t1'] },
        retry: { attempts: 3, backoffMs: 1000 },
      },
      {
        id: 'notify',
        kind: 'http',
        method: 'POST',
        url: 'https://hooks.example.com/{{ workspace.id }}',
        headers: { 'content-type': 'application/json', 'x-flow': '{{ trigger.event }}' },
        body: { entry: '{{ event }}' },
        continueOnFailure: true,
      },
    ],
  };
}

type Mutation = (flow: Record<string, any>) => void;

function problemsOf(mutate: Mutation, context: FlowValidationContext = ctx) {
  const flow = validFlow() as Record<string, any>;
  mutate(flow);
  const result = validateFlowDefinition(flow, context);
  return result.ok ? [] : result.problems;
}

describe('validateFlowDefinition', () => {
  it('accepts a valid flow and returns a copy', () => {
    const input = validFlow();
    const result = validateFlowDefinition(input, ctx);
    expect(result).toEqual({ ok: true, flow: input });
    expect(result.ok && result.flow).not.toBe(input);
  });

  it.each<[string, Mutation, string, RegExp]>([
    ['missing name', (f) => delete f.name, 'name', /required/],
    ['empty name', (f) => (f.name = ''), 'name', /must not be empty/],
    ['long name', (f) => (f.name = 'x'.repeat(101)), 'name', /at most 100 characters/],
    ['unknown top-level property', (f) => (f.extra = 1), 'extra', /not a known property/],
    ['enabled not boolean', (f) => (f.enabled = 'yes'), 'enabled', /true or false/],
    ['no actions', (f) => (f.actions = []), 'actions', /at least 1 item$/],
    [
      'too many actions',
      (f) => (f.actions = Array.from({ length: 21 }, (_, i) => ({ id: `a${i}`, kind: 'clockify', operationId: 'getTags' }))),
      'actions',
      /at most 20 items/,
    ],
    ['bad trigger kind', (f) => (f.trigger = { kind: 'cron' }), 'trigger.kind', /clockify|custom/],
    ['no events', (f) => (f.trigger.events = []), 'trigger.events', /at least 1 item/],
    ['unknown event', (f) => (f.trigger.events = ['NEW_TIME_ENTRY', 'NEW_PIZZA']), 'trigger.events[1]', /NEW_PIZZA/],
    ['duplicate event', (f) => (f.trigger.events = ['NEW_TIME_ENTRY', 'NEW_TIME_ENTRY']), 'trigger.events[1]', /twice/],
    ['unknown custom source', (f) => (f.trigger = { kind: 'custom', sourceId: 'zzz' }), 'trigger.sourceId', /zzz/],
    ['bad group mode', (f) => (f.conditions.mode = 'some'), 'conditions.mode', /all, any/],
    ['bad operator', (f) => (f.conditions.rules[0].op = 'like'), 'conditions.rules[0].op', /must be one of: equals/],
    ['bad JSONPath', (f) => (f.conditions.rules[0].path = 'projectId'), 'conditions.rules[0].path', /invalid JSONPath at position 0/],
    [
      'regex function in JSONPath',
      (f) => (f.conditions.rules[0].path = '$.tags[?match(@.name, "a")]'),
      'conditions.rules[0].path',
      /matches/,
    ],
    ['missing operand', (f) => delete f.conditions.rules[0].value, 'conditions.rules[0].value', /required for the "equals"/],
    ['in without array', (f) => (f.conditions.rules[0] = { path: '$.a', op: 'in', value: 'x' }), 'conditions.rules[0].value', /array/],
    ['gt with text', (f) => (f.conditions.rules[0] = { path: '$.a', op: 'gt', value: 'abc' }), 'conditions.rules[0].value', /number/],
    ['unsafe regex', (f) => (f.conditions.rules[1].rules[0].value = '(a+)+$'), 'conditions.rules[1].rules[0].value', /nested quantifiers/],
    ['lookbehind regex', (f) => (f.conditions.rules[1].rules[0].value = '(?<=a)b'), 'conditions.rules[1].rules[0].value', /lookbehind/],
    [
      'backreference regex',
      (f) => (f.conditions.rules[1].rules[0].value = '(a)\\1'),
      'conditions.rules[1].rules[0].value',
      /backreferences/,
    ],
    [
      'invalid regex',
      (f) => (f.conditions.rules[1].rules[0].value = '(a'),
      'conditions.rules[1].rules[0].value',
      /invalid regular expression/,
    ],
    [
      'long regex',
      (f) => (f.conditions.rules[1].rules[0].value = { pattern: 'a'.repeat(201) }),
      'conditions.rules[1].rules[0].value.pattern',
      /200/,
    ],
    [
      'groups nested too deep',
      (f) =>
        (f.conditions = {
          mode: 'all',
          rules: [{ mode: 'all', rules: [{ mode: 'all', rules: [{ mode: 'all', rules: [{ mode: 'all', rules: [] }] }] }] }],
        }),
      'conditions.rules[0].rules[0].rules[0].rules[0]',
      /at most 4 levels/,
    ],
    ['bad action kind', (f) => (f.actions[0].kind = 'shell'), 'actions[0].kind', /clockify|http/],
    ['bad action id', (f) => (f.actions[0].id = '1st'), 'actions[0].id', /start with a letter/],
    ['duplicate action id', (f) => (f.actions[2].id = 'getEntry'), 'actions[2].id', /already used by actions\[0\]/],
    ['retry out of range', (f) => (f.actions[1].retry = { attempts: 11, backoffMs: 0 }), 'actions[1].retry.attempts', /at most 10/],
    [
      'backoff out of range',
      (f) => (f.actions[1].retry = { attempts: 1, backoffMs: 60001 }),
      'actions[1].retry.backoffMs',
      /at most 60000/,
    ],
    ['unknown operationId', (f) => (f.actions[0].operationId = 'launchRocket'), 'actions[0].operationId', /launchRocket/],
    ['missing required path param', (f) => delete f.actions[0].params.id, 'actions[0].params.id', /required by getTimeEntry/],
    ['unknown param', (f) => (f.actions[0].params.colour = 'red'), 'actions[0].params.colour', /no parameter "colour"/],
    ['workspaceId param', (f) => (f.actions[0].params.workspaceId = 'other'), 'actions[0].params.workspaceId', /automatically/],
    ['object param', (f) => (f.actions[0].params.hydrated = { a: 1 }), 'actions[0].params.hydrated', /string, number, boolean/],
    ['required body missing', (f) => delete f.actions[1].body, 'actions[1].body', /needs a request body/],
    ['body on an operation without one', (f) => (f.actions[0].body = { a: 1 }), 'actions[0].body', /takes no request body/],
    ['template syntax error', (f) => (f.actions[1].body.start = '{{ event.id'), 'actions[1].body.start', /unclosed/],
    ['template prototype access', (f) => (f.actions[1].body.tagIds[0] = '{{ event.__proto__ }}'), 'actions[1].body.tagIds[0]', /__proto__/],
    ['unknown template root', (f) => (f.actions[0].params.id = '{{ env.SECRET }}'), 'actions[0].params.id', /unknown reference "env"/],
    ['reference to a later step', (f) => (f.actions[0].params.id = '{{ steps.update.body.id }}'), 'actions[0].params.id', /runs later/],
    [
      'reference to an unknown step',
      (f) => (f.actions[1].params.id = '{{ steps.nope.body.id }}'),
      'actions[1].params.id',
      /unknown step "nope"/,
    ],
    ['reference to itself', (f) => (f.actions[1].params.id = '{{ steps.update.body.id }}'), 'actions[1].params.id', /own result/],
    ['steps without id', (f) => (f.actions[1].params.id = '{{ steps }}'), 'actions[1].params.id', /action id/],
    ['http method', (f) => (f.actions[2].method = 'TRACE'), 'actions[2].method', /GET, POST/],
    ['http url scheme', (f) => (f.actions[2].url = 'ftp://example.com/'), 'actions[2].url', /http and https/],
    ['http url credentials', (f) => (f.actions[2].url = 'https://u:p@example.com/'), 'actions[2].url', /credentials/],
    ['fully templated url', (f) => (f.actions[2].url = '{{ event.url }}'), 'actions[2].url', /must start with http/],
    [
      'template in url header value',
      (f) => (f.actions[2].headers['x-flow'] = '{{ steps.later.x }}'),
      'actions[2].headers["x-flow"]',
      /unknown step/,
    ],
    ['forbidden header', (f) => (f.actions[2].headers.Host = 'internal'), 'actions[2].headers.Host', /platform/],
    ['invalid header name', (f) => (f.actions[2].headers['bad header'] = 'x'), 'actions[2].headers["bad header"]', /header name/],
    ['header with newline', (f) => (f.actions[2].headers['x-a'] = 'a\r\nb: c'), 'actions[2].headers["x-a"]', /line breaks/],
    ['GET with body', (f) => (f.actions[2].method = 'GET'), 'actions[2].body', /GET/],
  ])('%s', (_label, mutate, field, message) => {
    const problems = problemsOf(mutate);
    const problem = problems.find((p) => p.field === field);
    expect(problem, JSON.stringify(problems)).toBeDefined();
    expect(problem!.message).toMatch(message);
  });

  it('refuses HTTP actions when they are not enabled', () => {
    const problems = problemsOf(() => {}, { ...ctx, httpActionsEnabled: false });
    expect(problems).toEqual([{ field: 'actions[2].kind', message: 'HTTP actions are not enabled in this add-on' }]);
  });

  it('refuses custom triggers where there are no custom sources', () => {
    const { customSourceIds: _omit, ...noCustom } = ctx;
    const problems = problemsOf((f) => (f.trigger = { kind: 'custom', sourceId: 'src1' }), noCustom);
    expect(problems).toEqual([{ field: 'trigger.kind', message: 'custom triggers are not available in this add-on' }]);
  });

  it('accepts a custom trigger with a known source', () => {
    expect(problemsOf((f) => (f.trigger = { kind: 'custom', sourceId: 'src1', eventTypes: ['order.created'] }))).toEqual([]);
  });

  it('still checks the rules of a group whose own fields are wrong', () => {
    const problems = problemsOf((f) => {
      f.conditions.mode = 'some';
      f.conditions.rules[0].path = 'nope';
    });
    expect(problems.map((p) => p.field)).toEqual(['conditions.mode', 'conditions.rules[0].path']);
  });

  it('reports several problems at once, each once', () => {
    const problems = problemsOf((f) => {
      f.name = '';
      f.conditions.rules[0].path = '$.';
      f.actions[0].operationId = 'nope';
    });
    expect(problems.map((p) => p.field)).toEqual(['name', 'conditions.rules[0].path', 'actions[0].operationId']);
  });

  it.each([null, 'flow', 42, [], undefined])('rejects a non-object (%j) without throwing', (input) => {
    const result = validateFlowDefinition(input, ctx);
    expect(result).toEqual({ ok: false, problems: [{ field: '', message: 'a flow definition must be a JSON object' }] });
  });

  it('accepts optional query params and an empty condition group', () => {
    expect(
      problemsOf((f) => {
        f.conditions = { mode: 'any', rules: [] };
        f.actions[0].params.hydrated = true;
      }),
    ).toEqual([]);
  });
});

describe('operations Clockify serves to personal API keys only', () => {
  it('are refused in a flow: it runs with the add-on token', async () => {
    const { getCatalog } = await import('../../src/clockify/catalog/index.js');
    const flow = validFlow();
    (flow.actions as Record<string, unknown>[]).splice(0, (flow.actions as unknown[]).length, {
      id: 'audit',
      kind: 'clockify',
      operationId: 'getAuditLogs',
      body: {},
    });
    const result = validateFlowDefinition(flow, { ...ctx, catalog: getCatalog() }) as { ok: boolean; problems: unknown[] };
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([
      expect.objectContaining({ field: 'actions[0].operationId', message: expect.stringMatching(/personal API key/) }),
    ]);
  });
});
