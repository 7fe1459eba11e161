/**
 * Fuzzing flow definitions, templates and JSONPath expressions through the HTTP API: create,
 * replace, dry-run (saved and unsaved) and template instantiation. The generator builds mostly
 * well-formed flows whose conditions, template strings and URLs are hostile, so the fuzzer gets
 * past the schema into JSONPath compilation, regex safety, template parsing and rendering.
 * A dry run must never send or store anything, whatever it is given.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONDITION_OPERATORS } from '../../src/flows/model.js';
import { hostileJson, nastyString, pathSegment, prototypeKeys } from './support/arbitraries.js';
import { RUNS, fuzzSettings } from './support/budget.js';
import { createHarness, databaseDigest } from './support/harness.js';
import type { Harness, InstalledWorkspace } from './support/harness.js';

const jsonPath = fc.oneof(
  fc.constantFrom(
    '$',
    '$.a',
    '$.projectId',
    '$.timeInterval.start',
    '$..*',
    '$..a..b..c',
    '$.*.*.*',
    '$[?@.a > 1]',
    '$[?length(@) > 2]',
    '$[?match(@.a, "a+")]',
    '$[?search(@.a, "(a+)+$")]',
    '$[0:100000000:1]',
    '$[-1]',
    "$['a','b']",
    '$[?@..*]',
    '$.a[?@ == $.b]',
    'projectId',
    '$.',
    '$[',
    '$[?',
    '$..',
    '$[?(@.a)]',
    '$.a.b.c.d.e.f.g.h.i.j.k',
  ),
  fc.string({ maxLength: 30 }).map((s) => `$.${s}`),
  fc.string({ maxLength: 30 }),
  nastyString,
);

const template = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc
    .array(
      fc.oneof(
        fc.string({ maxLength: 8 }),
        fc.constantFrom(
          '{{',
          '}}',
          '\\{{',
          '{{ event.projectId }}',
          '{{ event }}',
          '{{ event.a.b.c | default:"x" }}',
          '{{ steps.a1.body.id }}',
          '{{ steps.nope.body }}',
          '{{ workspace.id }}',
          '{{ trigger.eventType | upper }}',
          '{{ event | json }}',
          '{{ event.description | urlencode }}',
          '{{ __proto__ }}',
          '{{ constructor.constructor }}',
          '{{ event["a"] }}',
          '{{ event.a[0] }}',
          '|',
          '"',
          "'",
          ' json',
          'default:',
          '{{ event.x | default:{{ }}',
        ),
      ),
      { maxLength: 10 },
    )
    .map((parts) => parts.join('')),
  nastyString,
);

const rule = fc.record({
  path: jsonPath,
  op: fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...CONDITION_OPERATORS) }, nastyString),
  value: fc.oneof(
    hostileJson,
    fc.constantFrom('(a+)+$', '(a|aa)*b', '^(\\w+\\s?)*$', '[', '\\', 'a{1000000}', 'P1D', '2024-01-01', 'PT1H'),
    fc.record({ pattern: fc.constantFrom('(a+)+$', '.*', '['), ignoreCase: fc.boolean() }),
  ),
});

const { group } = fc.letrec<{ group: unknown; item: unknown }>((tie) => ({
  group: fc.record({
    mode: fc.oneof({ weight: 5, arbitrary: fc.constantFrom('all', 'any') }, nastyString),
    rules: fc.array(tie('item'), { maxLength: 4 }),
  }),
  item: fc.oneof({ depthSize: 'small', withCrossShrink: true }, { weight: 3, arbitrary: rule }, tie('group'), hostileJson),
}));

describe('fuzz: flow definitions, templates and JSONPath', () => {
  let h: Harness;
  let a: InstalledWorkspace;
  let owner: string;
  let savedFlowId: string;
  const prototypeBefore = prototypeKeys();

  const action = () =>
    fc.oneof(
      fc.record(
        {
          id: fc.oneof({ weight: 4, arbitrary: fc.constantFrom('a1', 'a2', 'create_tag') }, nastyString),
          kind: fc.constant('clockify'),
          operationId: fc.oneof(
            {
              weight: 4,
              arbitrary: fc.constantFrom('createNewTag', 'getProject', 'createTimeEntry', 'updateTimeEntry', 'deleteTask', 'getTags'),
            },
            nastyString,
          ),
          params: fc.oneof(
            fc.dictionary(fc.constantFrom('projectId', 'id', 'taskId', 'userId', 'workspaceId', 'name', '__proto__'), template, {
              maxKeys: 3,
            }),
            hostileJson,
          ),
          body: fc.oneof(
            fc.constant(undefined),
            fc.record({ name: template }),
            fc.dictionary(fc.string({ maxLength: 6 }), template, { maxKeys: 3 }),
            hostileJson,
          ),
          retry: fc.option(fc.record({ attempts: fc.integer({ min: -1, max: 12 }), backoffMs: fc.integer({ min: -1, max: 70_000 }) }), {
            nil: undefined,
          }),
        },
        { requiredKeys: ['id', 'kind', 'operationId'] },
      ),
      fc.record(
        {
          id: fc.constantFrom('h1', 'h2'),
          kind: fc.constant('http'),
          method: fc.oneof({ weight: 4, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE') }, nastyString),
          url: fc.oneof(
            fc.constant(null).map(() => `${h.stub.backendUrl}/hook`),
            template.map((t) => `https://example.com/${t}`),
            fc.constantFrom(
              'http://127.0.0.1/admin',
              'http://169.254.169.254/latest/meta-data/',
              'file:///etc/passwd',
              'gopher://x',
              'http://[::1]/',
              'http://0x7f000001/',
              'https://{{ event.host }}/x',
              '{{ event.url }}',
              'javascript:alert(1)',
            ),
            nastyString,
          ),
          headers: fc.option(
            fc.dictionary(
              fc.oneof(
                fc.constantFrom('x-a', 'Host', 'content-length', 'Transfer-Encoding', 'bad header', 'x-b\r\nx-c'),
                fc.string({ maxLength: 10 }),
              ),
              template,
              { maxKeys: 3 },
            ),
            { nil: undefined },
          ),
          body: fc.option(fc.oneof(template, hostileJson), { nil: undefined }),
        },
        { requiredKeys: ['id', 'kind', 'method', 'url'] },
      ),
      hostileJson,
    );

  /** Mostly one of: a valid part (weight 6) or a hostile one, so several fuzzed parts rarely meet in one flow. */
  const mostly = <T, U>(valid: fc.Arbitrary<T>, hostile: fc.Arbitrary<U>) =>
    fc.oneof({ weight: 6, arbitrary: valid }, { weight: 1, arbitrary: hostile });
  const validTemplate = fc.constantFrom(
    '{{ event.description }}',
    'tag {{ event.projectId | default:"none" }}',
    'plain',
    '{{ trigger.eventType | lower }}',
    '{{ workspace.id }}',
  );
  const validRule = fc.record({
    path: fc.constantFrom('$.projectId', '$.description', '$.timeInterval.start', '$.tagIds[0]', '$..id'),
    op: fc.constantFrom('equals', 'exists', 'contains', 'matches', 'not_empty'),
    value: fc.constantFrom('p1', 'a.*', 'x'),
  });
  const nearValidDefinition = () =>
    fc.record({
      name: mostly(fc.constant('near-valid flow'), nastyString),
      enabled: fc.boolean(),
      trigger: fc.constant({ kind: 'clockify', events: ['NEW_TIME_ENTRY'] }),
      conditions: fc.record({ mode: fc.constantFrom('all', 'any'), rules: fc.array(mostly(validRule, rule), { maxLength: 3 }) }),
      actions: fc
        .tuple(
          fc.record({
            id: fc.constant('a1'),
            kind: fc.constant('clockify'),
            operationId: fc.constant('createNewTag'),
            body: fc.record({ name: mostly(validTemplate, template) }),
          }),
          fc.option(
            fc.record({
              id: fc.constant('h1'),
              kind: fc.constant('http'),
              method: fc.constantFrom('POST', 'GET'),
              url: mostly(
                fc.constant(null).map(() => `${h.stub.backendUrl}/hook/{{ steps.a1.body.id }}`),
                template.map((t) => `https://example.com/${t}`),
              ),
              body: mostly(validTemplate, template),
            }),
          ),
        )
        .map(([first, second]) => (second ? [first, second] : [first])),
    });

  const definition = () =>
    fc.oneof(
      { weight: 4, arbitrary: nearValidDefinition() },
      {
        weight: 5,
        arbitrary: fc.record(
          {
            name: fc.oneof({ weight: 4, arbitrary: fc.constant('fuzzed flow') }, nastyString),
            enabled: fc.oneof({ weight: 4, arbitrary: fc.boolean() }, hostileJson),
            trigger: fc.oneof(
              {
                weight: 4,
                arbitrary: fc.record({
                  kind: fc.constant('clockify'),
                  events: fc.array(
                    fc.oneof({ weight: 4, arbitrary: fc.constantFrom('NEW_TIME_ENTRY', 'NEW_PROJECT', 'TIMER_STOPPED') }, nastyString),
                    { minLength: 0, maxLength: 3 },
                  ),
                }),
              },
              fc.record({ kind: fc.constant('custom'), sourceId: nastyString, eventTypes: fc.array(nastyString, { maxLength: 2 }) }),
              hostileJson,
            ),
            conditions: fc.oneof({ weight: 4, arbitrary: group }, hostileJson),
            actions: fc.array(action(), { minLength: 0, maxLength: 3 }),
          },
          { requiredKeys: ['name', 'enabled', 'trigger', 'conditions', 'actions'] },
        ),
      },
      hostileJson,
    );

  beforeAll(async () => {
    h = await createHarness('universal-webhook', { env: { UW_ENABLE_HTTP_ACTIONS: 'true', OUTBOUND_HTTP_ALLOWLIST: '127.0.0.1' } });
    a = await h.install();
    owner = await a.userToken('OWNER');
    const created = await h.send({
      method: 'POST',
      url: '/ui/flows',
      headers: { authorization: `Bearer ${owner}` },
      payload: {
        definition: {
          name: 'saved',
          enabled: false,
          trigger: { kind: 'clockify', events: ['NEW_TIME_ENTRY'] },
          conditions: { mode: 'all', rules: [] },
          actions: [{ id: 'a1', kind: 'clockify', operationId: 'getTags' }],
        },
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    savedFlowId = (created.json() as { flow: { id: string } }).flow.id;
  });
  afterAll(() => h?.close());

  const auth = () => ({ authorization: `Bearer ${owner}`, 'content-type': 'application/json' });

  it('creates or refuses any definition without 5xx, storing nothing when it refuses', async () => {
    await fc.assert(
      fc.asyncProperty(definition(), fc.constantFrom('create', 'replace'), async (body, verb) => {
        const payload = JSON.stringify({ definition: body });
        if (verb === 'create') await h.attack({ method: 'POST', url: '/ui/flows', headers: auth(), payload });
        else await h.attack({ method: 'PUT', url: `/ui/flows/${savedFlowId}`, headers: auth(), payload });
      }),
      fuzzSettings(RUNS.flowDefinitions),
    );
    expect(prototypeKeys()).toEqual(prototypeBefore);
    expect(h.stats.accepted, 'no fuzzed flow was ever valid: the generator is too hostile').toBeGreaterThan(5);
  });

  it('dry-runs any definition, template, JSONPath and sample without 5xx, and never sends or stores anything', async () => {
    const testBody = fc.record(
      {
        definition: definition(),
        sample: fc.oneof(
          hostileJson,
          fc.constant({
            projectId: 'p1',
            description: '{{ event }}',
            a: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!',
            timeInterval: { start: '2024-01-01T00:00:00Z' },
          }),
        ),
        eventType: fc.oneof(fc.constantFrom('NEW_TIME_ENTRY', 'NEW_PROJECT'), nastyString),
        eventId: nastyString,
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(testBody, fc.boolean(), async (body, saved) => {
        const before = await databaseDigest(h.runtime.database);
        const sentBefore = h.stub.requests.length;
        const request = saved
          ? {
              method: 'POST' as const,
              url: `/ui/flows/${savedFlowId}/test`,
              headers: auth(),
              payload: JSON.stringify({ ...body, definition: undefined }),
            }
          : { method: 'POST' as const, url: '/ui/flows/test', headers: auth(), payload: JSON.stringify(body) };
        await h.attack(request);
        expect(await databaseDigest(h.runtime.database)).toEqual(before);
        expect(h.stub.requests.length).toBe(sentBefore);
      }),
      fuzzSettings(RUNS.flowTests + RUNS.templatesAndPaths),
    );
    expect(prototypeKeys()).toEqual(prototypeBefore);
  });

  it('instantiates or refuses any template id and inputs without 5xx', async () => {
    const templates = (await h.send({ method: 'GET', url: '/ui/flows/templates', headers: auth() })).json() as {
      templates: { id: string; requiredInputs: { name: string }[] }[];
    };
    expect(templates.templates.length).toBeGreaterThan(0);
    const names = templates.templates.flatMap((t) => t.requiredInputs.map((input) => input.name));
    await fc.assert(
      fc.asyncProperty(
        fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...templates.templates.map((t) => t.id)) }, nastyString),
        fc.oneof(
          fc.dictionary(
            fc.oneof(fc.constantFrom(...names), nastyString),
            fc.oneof(template, hostileJson, fc.array(template, { maxLength: 25 })),
            { maxKeys: 4 },
          ),
          hostileJson,
        ),
        async (id, inputs) => {
          await h.attack({
            method: 'POST',
            url: `/ui/flows/templates/${pathSegment(id, 120)}`,
            headers: auth(),
            payload: JSON.stringify({ inputs }),
          });
        },
      ),
      fuzzSettings(RUNS.uiQueries),
    );
  });
});
