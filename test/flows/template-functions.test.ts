import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TEMPLATE_FUNCTIONS, functionCatalogue } from '../../src/flows/template-functions/index.js';
import { parseIsoDuration } from '../../src/flows/template-functions/durations.js';
import { parseTemplate, renderValue, type TemplateContext } from '../../src/flows/templates.js';
import { validateFlowDefinition } from '../../src/flows/validate.js';
import { CLOCKIFY_EVENTS_FOR_TESTS } from './events.js';
import { catalogFromOpenApi } from './openapi-catalog.js';

/** Renders `{{ value | … }}` with `value` as the event, so each case reads like the docs. */
function apply(pipeline: string, value: unknown) {
  return renderValue(`{{ event.value ${pipeline} }}`, { event: { value } });
}
function ok(pipeline: string, value: unknown): unknown {
  const result = apply(pipeline, value);
  if (!result.ok) throw new Error(result.message);
  return result.value;
}
function error(pipeline: string, value: unknown): string {
  const result = apply(pipeline, value);
  expect(result.ok).toBe(false);
  return result.ok ? '' : result.message;
}
function parseError(pipeline: string): string {
  const parsed = parseTemplate(`{{ event.value ${pipeline} }}`);
  expect(parsed.ok).toBe(false);
  return parsed.ok ? '' : parsed.message;
}

describe('catalogue', () => {
  it('every example renders to the result it documents', () => {
    for (const entry of functionCatalogue()) {
      const expression = /^\{\{ ([A-Za-z_.[\]0-9]+) /.exec(entry.example)![1]!;
      const context: TemplateContext = {};
      // Put the example input where the example's expression points.
      const path = expression.split('.');
      let node: Record<string, unknown> = context as Record<string, unknown>;
      for (const key of path.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
      node[path.at(-1)!] = entry.input;
      const rendered = renderValue(entry.example, context);
      expect(rendered, entry.name).toEqual(expect.objectContaining({ ok: true, value: entry.result }));
    }
  });

  it('every example is in docs/flows.md', () => {
    const docs = readFileSync(new URL('../../docs/flows.md', import.meta.url), 'utf8');
    for (const entry of functionCatalogue()) expect(docs, entry.name).toContain(entry.example.replaceAll('|', '\\|'));
  });

  it('lists each family the flows offer, with a signature per function', () => {
    const names = functionCatalogue().map((entry) => entry.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'formatDate',
        'addTime',
        'startOf',
        'hours',
        'duration',
        'round',
        'sum',
        'count',
        'lower',
        'upper',
        'trim',
        'truncate',
        'replace',
        'default',
        'join',
      ]),
    );
    expect(new Set(names).size).toBe(names.length);
    expect(functionCatalogue().find((entry) => entry.name === 'formatDate')!.signature).toBe('formatDate:pattern,[timeZone]');
  });
});

describe('dates', () => {
  it('formats in a time zone, default UTC', () => {
    expect(ok('| formatDate:"yyyy-MM-dd HH:mm"', '2024-05-06T09:05:00Z')).toBe('2024-05-06 09:05');
    expect(ok('| formatDate:"yyyy-MM-dd HH:mm XXX","America/New_York"', '2024-01-06T03:00:00Z')).toBe('2024-01-05 22:00 -05:00');
    expect(ok('| formatDate:"EEEE d MMMM yy, h:mm a","Asia/Kolkata"', '2024-05-06T09:00:00Z')).toBe('Monday 6 May 24, 2:30 PM');
    expect(ok(`| formatDate:"yyyy-MM-dd'T'HH'h'"`, '2024-05-06T09:00:00Z')).toBe('2024-05-06T09h');
    expect(ok('| formatDate:"yyyy-MM-dd"', Date.UTC(2024, 0, 2))).toBe('2024-01-02');
  });

  it('adds durations on the wall clock of the zone, across daylight saving', () => {
    // Europe/Berlin moves to summer time on 2024-03-31: one calendar day is 23 hours there.
    expect(ok('| addTime:"P1D","Europe/Berlin"', '2024-03-30T11:00:00Z')).toBe('2024-03-31T10:00:00.000Z');
    expect(ok('| addTime:"P1D"', '2024-03-30T11:00:00Z')).toBe('2024-03-31T11:00:00.000Z');
    expect(ok('| addTime:"PT1H30M"', '2024-05-06T09:00:00Z')).toBe('2024-05-06T10:30:00.000Z');
    expect(ok('| addTime:"-PT30M"', '2024-05-06T09:00:00Z')).toBe('2024-05-06T08:30:00.000Z');
    expect(ok('| addTime:"P1M"', '2024-01-31T12:00:00Z')).toBe('2024-02-29T12:00:00.000Z');
    expect(ok('| addTime:"P1Y"', '2024-02-29T12:00:00Z')).toBe('2025-02-28T12:00:00.000Z');
  });

  it('finds the start of the day and of the Monday week in a zone', () => {
    expect(ok('| startOf:"day"', '2024-05-06T09:00:00Z')).toBe('2024-05-06T00:00:00.000Z');
    expect(ok('| startOf:"day","Europe/Berlin"', '2024-05-06T23:30:00Z')).toBe('2024-05-06T22:00:00.000Z');
    expect(ok('| startOf:"week"', '2024-05-12T23:00:00Z')).toBe('2024-05-06T00:00:00.000Z');
    expect(ok('| startOf:"week"', '2024-05-06T00:00:00Z')).toBe('2024-05-06T00:00:00.000Z');
    expect(ok('| startOf:"week","Pacific/Auckland" | formatDate:"EEE HH:mm","Pacific/Auckland"', '2024-05-12T23:00:00Z')).toBe('Mon 00:00');
  });

  it('refuses what is not a date, naming the function', () => {
    expect(error('| formatDate:"yyyy"', 'yesterday')).toMatch(/^formatDate: "yesterday" is not a date/);
    expect(error('| startOf:"day"', { a: 1 })).toMatch(/^startOf: .* is not a date/);
  });

  it('property: startOf day is midnight in the zone, not after the input, less than a day before', () => {
    const zones = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe', 'America/St_Johns'];
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2060, 0, 1) }), fc.constantFrom(...zones), (instant, zone) => {
        const start = Date.parse(ok(`| startOf:"day","${zone}"`, instant) as string);
        expect(start).toBeLessThanOrEqual(instant);
        expect(instant - start).toBeLessThan(26 * 3_600_000);
        expect(ok(`| formatDate:"HH:mm:ss","${zone}"`, start)).toBe('00:00:00');
        expect(ok(`| formatDate:"yyyy-MM-dd","${zone}"`, start)).toBe(ok(`| formatDate:"yyyy-MM-dd","${zone}"`, instant));
      }),
      { numRuns: 300 },
    );
  });

  it('startOf day is the midnight itself on a day whose daylight saving ends later (Lord Howe, half-hour change)', () => {
    // 2057-04-01 00:00 in Lord Howe: the offset of the guessed instant (after the change) differs from midnight's.
    expect(ok('| startOf:"day","Australia/Lord_Howe"', Date.UTC(2057, 2, 31, 13, 0))).toBe('2057-03-31T13:00:00.000Z');
  });

  it('property: adding hours and minutes moves the instant by exactly that much', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Date.UTC(2100, 0, 1) }), fc.nat(500), fc.nat(59), (instant, hours, minutes) => {
        const moved = ok(`| addTime:"PT${hours}H${minutes}M","Europe/Berlin"`, new Date(instant).toISOString()) as string;
        expect(Date.parse(moved) - instant).toBe((hours * 60 + minutes) * 60_000);
      }),
    );
  });
});

describe('durations', () => {
  it('turns ISO 8601 durations into hours and readable text', () => {
    expect(ok('| hours', 'PT1H30M')).toBe(1.5);
    expect(ok('| hours', 'P1DT2H')).toBe(26);
    expect(ok('| hours', 'PT45S')).toBe(0.0125);
    expect(ok('| hours', 5400)).toBe(1.5);
    expect(ok('| duration', 'PT1H30M')).toBe('1 h 30 m');
    expect(ok('| duration', 'PT8H')).toBe('8 h');
    expect(ok('| duration', 'PT45S')).toBe('45 s');
    expect(ok('| duration', 'PT0S')).toBe('0 m');
    expect(ok('| duration', 'P1W')).toBe('168 h');
  });

  it('refuses what is not a fixed-length duration', () => {
    expect(error('| hours', '1:30')).toMatch(/^hours: "1:30" is not an ISO 8601 duration/);
    expect(error('| duration', 'P1M')).toMatch(/^duration: "P1M" has years or months/);
    expect(error('| hours', 'PT')).toMatch(/not an ISO 8601 duration/);
  });

  it('property: hours and the text agree with the parts written', () => {
    fc.assert(
      fc.property(fc.nat(300), fc.nat(59), (h, m) => {
        const text = `PT${h}H${m}M`;
        expect(ok('| hours', text)).toBeCloseTo(h + m / 60, 9);
        const expected = [h > 0 ? `${h} h` : '', m > 0 ? `${m} m` : ''].filter(Boolean).join(' ') || '0 m';
        expect(ok('| duration', text)).toBe(expected);
        expect(parseIsoDuration(text)!.timeMs).toBe((h * 60 + m) * 60_000);
      }),
    );
  });
});

describe('numbers', () => {
  it('rounds, sums and counts', () => {
    expect(ok('| round', 2.5)).toBe(3);
    expect(ok('| round:2', '3.14159')).toBe(3.14);
    expect(ok('| round', -0.2)).toBe(0);
    expect(ok('| sum', [1, 2, '3.5'])).toBe(6.5);
    expect(ok('| sum:"hours"', [{ hours: 1 }, { other: 1 }, { hours: 2 }])).toBe(3);
    expect(ok('| sum', [])).toBe(0);
    expect(ok('| count', [1, 2, 3])).toBe(3);
    expect(ok('| count:"projectId"', [{ projectId: 'p' }, { projectId: null }, {}])).toBe(1);
  });

  it('refuses what is not a number or a list, naming the function', () => {
    expect(error('| round', 'abc')).toBe('round: the value is not a number ("abc")');
    expect(error('| sum', [1, 'x'])).toBe('sum: item 1 is not a number ("x")');
    expect(error('| sum:"a"', [1])).toBe('sum: item 0 is not an object with "a"');
    expect(error('| count', 'abc')).toBe('count: expects a list');
  });

  it('property: sum equals the arithmetic sum and count the length', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1e6, max: 1e6 }), { maxLength: 50 }), (numbers) => {
        expect(ok('| sum', numbers)).toBe(numbers.reduce((a, b) => a + b, 0));
        expect(ok('| count', numbers)).toBe(numbers.length);
      }),
    );
  });

  it('property: round:d is within half a unit of the input', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.integer({ min: 0, max: 6 }), (value, digits) => {
        const rounded = ok(`| round:${digits}`, value) as number;
        expect(Math.abs(rounded - value)).toBeLessThanOrEqual(0.5 / 10 ** digits + 1e-9);
      }),
    );
  });
});

describe('strings and lists', () => {
  it('truncates, replaces literally and joins', () => {
    expect(ok('| truncate:5', 'abcdefgh')).toBe('abcd…');
    expect(ok('| truncate:5,"..."', 'abcdefgh')).toBe('ab...');
    expect(ok('| truncate:10', 'short')).toBe('short');
    expect(ok('| truncate:3', '😀😀😀😀')).toBe('😀😀…');
    expect(ok('| replace:".*","x"', 'a.*b.*')).toBe('axbx');
    expect(ok('| replace:"$&","x"', 'a$&b')).toBe('axb');
    expect(ok('| replace:"a","$&$&"', 'a')).toBe('$&$&');
    expect(ok('| join', ['a', 1, null, true])).toBe('a, 1, , true');
    expect(ok('| join:"-"', [])).toBe('');
    expect(ok('| lower | replace:"fix","Fixed" | upper', 'FIX it')).toBe('FIXED IT');
  });

  it('refuses values they cannot use', () => {
    expect(error('| truncate:3', { a: 1 })).toBe('truncate: expects text, got object');
    expect(error('| join', [{ id: 1 }])).toMatch(/^join: item 0 is an object/);
    expect(error('| join', 'abc')).toBe('join: expects a list');
  });

  it('refuses a result larger than the output budget before building it', () => {
    const big = 'a'.repeat(100_000);
    expect(error(`| replace:"a","${'b'.repeat(20)}"`, big)).toMatch(/^replace: the result would be longer than/);
    expect(
      error(
        `| join:"${'x'.repeat(400)}"`,
        Array.from({ length: 5000 }, () => ''),
      ),
    ).toMatch(/^join: the result would be longer than/);
  });

  it('property: truncate never exceeds its length and keeps short text whole', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), fc.integer({ min: 1, max: 40 }), (text, length) => {
        const result = ok(`| truncate:${length}`, text) as string;
        expect(Array.from(result).length).toBeLessThanOrEqual(length);
        if (Array.from(text).length <= length) expect(result).toBe(text);
        else expect(result.endsWith('…')).toBe(true);
      }),
    );
  });

  it('property: replace removes every occurrence of the search text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.string({ minLength: 1, maxLength: 3 }), (text, search) => {
        const quoted = JSON.stringify(search);
        const result = ok(`| replace:${quoted},""`, text) as string;
        expect(result).toBe(text.split(search).join(''));
      }),
    );
  });

  it('property: join of texts splits back into them when the separator is absent', () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[a-z]{0,5}$/), { minLength: 1, maxLength: 20 }), (items) => {
        expect((ok('| join:"|"', items) as string).split('|')).toEqual(items);
      }),
    );
  });
});

describe('missing values', () => {
  it('pass through every function so default can replace them', () => {
    for (const fn of TEMPLATE_FUNCTIONS.filter((f) => f.apply && f.params.every((p) => p.optional))) {
      expect(ok(`| ${fn.name} | default:"none"`, undefined), fn.name).toBe('none');
    }
    expect(ok('| formatDate:"yyyy" | default:"open"', null)).toBe('open');
  });
});

describe('save-time validation', () => {
  it.each([
    ['| shout', 'unknown function "shout"'],
    ['| formatDate', 'function "formatDate" takes 1 to 2 arguments (formatDate:pattern,[timeZone]), got 0'],
    ['| formatDate:"yyyy","Mars/Base"', 'function "formatDate": timeZone "Mars/Base" is not a known time zone'],
    ['| round:"2"', 'function "round": decimals must be a whole number'],
    ['| round:11', 'function "round": decimals must be at most 10'],
    ['| truncate:0', 'function "truncate": length must be at least 1'],
    ['| startOf:"month"', 'function "startOf": unit must be one of "day", "week"'],
    ['| addTime:"1 day"', 'function "addTime": duration must be an ISO 8601 duration'],
    ['| replace:"","x"', 'function "replace": search must not be empty'],
    ['| hours:1', 'function "hours" takes 0 arguments (hours), got 1'],
    ['| join:"a","b"', 'function "join" takes 0 to 1 arguments'],
    ['| join:', 'expected a quoted string'],
  ])('%s is refused with %s', (pipeline, message) => {
    expect(parseError(pipeline)).toContain(message);
  });

  it('a flow using an unknown function or wrong arguments is refused, naming the field and the function', () => {
    const flow = (template: string) => ({
      name: 'Notify',
      enabled: true,
      trigger: { kind: 'clockify', events: ['NEW_TIME_ENTRY'] },
      conditions: { mode: 'all', rules: [] },
      actions: [{ id: 'notify', kind: 'http', method: 'POST', url: 'https://hooks.example.com/x', body: { text: template } }],
    });
    const context = { allowedEvents: CLOCKIFY_EVENTS_FOR_TESTS, httpActionsEnabled: true, catalog: catalogFromOpenApi() };
    expect(
      validateFlowDefinition(
        flow(
          '{{ event.timeInterval.duration | hours | round:1 }} h on {{ event.timeInterval.start | formatDate:"EEE d MMM","Europe/Berlin" }}',
        ),
        context,
      ).ok,
    ).toBe(true);
    const unknown = validateFlowDefinition(flow('{{ event.description | titlecase }}'), context);
    expect(unknown.ok).toBe(false);
    if (!unknown.ok)
      expect(unknown.problems).toEqual([
        expect.objectContaining({ field: 'actions[0].body.text', message: expect.stringContaining('unknown function "titlecase"') }),
      ]);
    const wrong = validateFlowDefinition(flow('{{ event.description | truncate:"ten" }}'), context);
    expect(wrong.ok).toBe(false);
    if (!wrong.ok) expect(wrong.problems[0]!.message).toContain('function "truncate": length must be a whole number');
  });
});
