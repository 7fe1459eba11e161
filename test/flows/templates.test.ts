import { describe, expect, it } from 'vitest';
import { parseTemplate, renderValue, templateReferences, TEMPLATE_LIMITS, type TemplateContext } from '../../src/flows/templates.js';

const ctx: TemplateContext = {
  event: {
    id: 'te1',
    projectId: 'p1',
    description: '  Mixed Case  ',
    amount: 42,
    billable: false,
    end: null,
    empty: '',
    tags: [{ id: 't1', name: 'A&B' }],
    tagIds: ['t1', 't2'],
    'odd-key': 'dash',
  },
  workspace: { id: 'ws1', name: 'Acme' },
  steps: {
    getUser: { status: 200, body: { email: 'a@example.com', name: 'Ann' }, headers: { 'content-type': 'application/json' } },
  },
  trigger: { kind: 'clockify', event: 'NEW_TIME_ENTRY' },
};

function render(value: unknown) {
  const result = renderValue(value, ctx);
  if (!result.ok) throw new Error(result.message);
  return result;
}

describe('renderValue', () => {
  it.each<[string, unknown]>([
    ['{{ event.projectId }}', 'p1'],
    ['{{event.projectId}}', 'p1'],
    ['{{ event.amount }}', 42],
    ['{{ event.billable }}', false],
    ['{{ event.end }}', null],
    ['{{ event.tags[0] }}', { id: 't1', name: 'A&B' }],
    ['{{ event.tagIds }}', ['t1', 't2']],
    ['{{ event.tags[0].id }}', 't1'],
    ["{{ event['odd-key'] }}", 'dash'],
    ['{{ steps.getUser.body.email }}', 'a@example.com'],
    ['{{ steps.getUser.status }}', 200],
    ['{{ steps.getUser.headers["content-type"] }}', 'application/json'],
    ['{{ workspace.id }}', 'ws1'],
    ['{{ trigger.event }}', 'NEW_TIME_ENTRY'],
    ['Entry {{ event.id }} in {{ workspace.name }}', 'Entry te1 in Acme'],
    ['amount={{ event.amount }}', 'amount=42'],
    ['tags={{ event.tagIds }}', 'tags=["t1","t2"]'],
    ['end=[{{ event.end }}]', 'end=[]'],
    [' {{ event.amount }}', ' 42'],
    ['no templates here', 'no templates here'],
    ['{{ event.description | trim }}', 'Mixed Case'],
    ['{{ event.description | trim | lower }}', 'mixed case'],
    ['{{ event.description | trim | upper }}', 'MIXED CASE'],
    ['{{ event.tags[0].name | urlencode }}', 'A%26B'],
    ['https://x.test/?q={{ event.tags[0].name | urlencode }}', 'https://x.test/?q=A%26B'],
    ['{{ event.tags[0] | json }}', '{"id":"t1","name":"A&B"}'],
    ['{{ event.description | json }}', '"  Mixed Case  "'],
    ['{{ event.missing | default:"none" }}', 'none'],
    ["{{ event.empty | default:'blank' }}", 'blank'],
    ['{{ event.end | default:0 }}', 0],
    ['{{ event.amount | default:"x" }}', 42],
    ['{{ event.billable | default:true }}', false],
    ['{{ event.missing | default:"a \\"quoted\\" }}" }}', 'a "quoted" }}'],
    ['\\{{ literal }}', '{{ literal }}'],
    ['a \\{{ b }} {{ event.id }}', 'a {{ b }} te1'],
    ['}} stray close', '}} stray close'],
  ])('%s → %j', (template, expected) => {
    expect(render(template).value).toEqual(expected);
  });

  it('renders strings deep inside objects and arrays, leaving other values alone', () => {
    const result = render({
      id: '{{ event.id }}',
      nested: { list: ['{{ event.amount }}', 7, true, null, 'x-{{ event.projectId }}'] },
      count: 3,
    });
    expect(result.value).toEqual({ id: 'te1', nested: { list: [42, 7, true, null, 'x-p1'] }, count: 3 });
    expect(result.missing).toEqual([]);
  });

  it('reports missing references and renders them as undefined (whole) or empty (mixed)', () => {
    const result = render({ a: '{{ event.nope }}', b: 'x{{ steps.later.body.id }}y', c: '{{ event.tags[5].id }}' });
    expect(result.value).toEqual({ a: undefined, b: 'xy', c: undefined });
    expect(result.missing).toEqual(['event.nope', 'steps.later.body.id', 'event.tags[5].id']);
  });

  it('does not report a reference that has a default', () => {
    expect(render('{{ event.nope | default:"d" }}').missing).toEqual([]);
  });

  it('does not read inherited properties', () => {
    const result = render(['{{ event.toString }}', '{{ event.tags.length }}', '{{ event.hasOwnProperty }}']);
    expect(result.value).toEqual([undefined, 1, undefined]);
    expect(result.missing).toEqual(['event.toString', 'event.hasOwnProperty']);
  });

  it('keeps a "__proto__" key of a body as a plain key', () => {
    const body = JSON.parse('{"__proto__": {"polluted": "{{ event.id }}"}}') as unknown;
    const result = render(body);
    expect(Object.getPrototypeOf(result.value)).toBe(Object.prototype);
    expect(Object.hasOwn(result.value as object, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('reports syntax errors instead of throwing', () => {
    const result = renderValue({ a: '{{ event.id' }, ctx);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toContain('unclosed');
  });

  it('refuses output larger than the limit', () => {
    const big = 'x'.repeat(600_000);
    const result = renderValue(['{{ event.big }}', '{{ event.big }}'], { event: { big } });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toContain(String(TEMPLATE_LIMITS.outputSize));
    const whole = renderValue('{{ event.list }}', { event: { list: Array.from({ length: 200_000 }, () => 'abcdef') } });
    expect(whole.ok).toBe(false);
  });

  it('refuses values nested deeper than the limit', () => {
    let value: unknown = 'leaf';
    for (let i = 0; i < 100; i++) value = [value];
    expect(renderValue(value, ctx).ok).toBe(false);
  });
});

describe('parseTemplate', () => {
  it.each([
    ['{{ event.__proto__ }}', '"__proto__" cannot be accessed'],
    ['{{ event.constructor.name }}', '"constructor" cannot be accessed'],
    ['{{ event["prototype"] }}', '"prototype" cannot be accessed'],
    ['{{ __proto__ }}', '"__proto__" cannot be accessed'],
    ['{{ event.id | shout }}', 'unknown function "shout"'],
    ['{{ event.id | default }}', 'default filter needs a value'],
    ['{{ event.id | lower:"x" }}', 'takes no value'],
    ['{{ }}', 'expected a name'],
    ['{{ event. }}', 'expected a property name'],
    ['{{ event[x] }}', 'expected an index or a quoted key'],
    ['{{ event.a + 1 }}', 'unexpected "+"'],
    ['{{ process.exit() }}', 'unexpected "("'],
    ['{{ event["a }}', 'unterminated string'],
  ])('%s fails with %s', (template, message) => {
    const result = parseTemplate(template);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toContain(message);
  });

  it('names the position of the error', () => {
    expect(parseTemplate('abc {{ event.id')).toMatchObject({ ok: false, position: 4 });
    expect(parseTemplate('{{ event.id }} {{ event.a + 1 }}')).toMatchObject({ ok: false, position: 26 });
  });

  it('splits text and expressions', () => {
    const result = parseTemplate('Hi {{ event.user.name | upper }}!');
    expect(result.ok && result.template.parts).toEqual([
      'Hi ',
      { source: 'event.user.name | upper', position: 3, root: 'event', path: ['user', 'name'], filters: [{ name: 'upper' }] },
      '!',
    ]);
    expect(result.ok && result.template.whole).toBeUndefined();
  });

  it('refuses over-long expressions', () => {
    const result = parseTemplate(`{{ event.${'a'.repeat(600)} }}`);
    expect(result.ok).toBe(false);
  });
});

describe('templateReferences', () => {
  it('lists roots and step ids of every template inside a value', () => {
    expect(
      templateReferences({
        url: 'https://x/{{ steps.getUser.body.id }}',
        body: ['{{ event.id }}', { a: '{{ workspace.id }}-{{ steps.other.status }}' }, 'plain', 5],
        broken: '{{ event.',
      }),
    ).toEqual([
      { expression: 'steps.getUser.body.id', root: 'steps', step: 'getUser' },
      { expression: 'event.id', root: 'event' },
      { expression: 'workspace.id', root: 'workspace' },
      { expression: 'steps.other.status', root: 'steps', step: 'other' },
    ]);
  });
});
