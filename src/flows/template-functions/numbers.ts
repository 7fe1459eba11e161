/** Numbers: round, and sum or count over a list (optionally of one field of each item). */
import { FUNCTION_LIMITS, fail, numberOf } from './types.js';
import type { TemplateFunction } from './types.js';

function listOf(name: string, value: unknown): unknown[] {
  if (!Array.isArray(value)) fail(name, 'expects a list');
  return value;
}

function fieldOf(name: string, item: unknown, field: string | undefined, index: number): unknown {
  if (field === undefined) return item;
  if (item === null || typeof item !== 'object' || Array.isArray(item)) fail(name, `item ${index} is not an object with "${field}"`);
  return Object.hasOwn(item, field) ? (item as Record<string, unknown>)[field] : undefined;
}

const fieldParam = {
  name: 'field',
  type: 'string',
  optional: true,
  check: (field: string) => (field === '' || field === '__proto__' ? 'must name a field' : undefined),
} as const;

export const numberFunctions: TemplateFunction[] = [
  {
    name: 'round',
    family: 'numbers',
    description: `Rounds a number (or numeric text) to a number of decimals (default 0, at most ${FUNCTION_LIMITS.roundDigits}).`,
    params: [{ name: 'decimals', type: 'integer', optional: true, min: 0, max: FUNCTION_LIMITS.roundDigits }],
    example: { template: '{{ event.timeInterval.duration | hours | round:1 }}', input: 'PT1H20M', result: 1.3 },
    apply: (value, [decimals]) => {
      const factor = 10 ** ((decimals as number | undefined) ?? 0);
      const rounded = Math.round(numberOf('round', value) * factor) / factor;
      return Object.is(rounded, -0) ? 0 : rounded;
    },
  },
  {
    name: 'sum',
    family: 'numbers',
    description: 'Adds up a list of numbers, or one field of each object in a list; missing fields count as 0.',
    params: [fieldParam],
    example: {
      template: '{{ steps.report.body.timeentries | sum:"duration" }}',
      input: [{ duration: 3600 }, { duration: 1800 }],
      result: 5400,
    },
    apply: (value, [field]) =>
      listOf('sum', value).reduce<number>((total, item, index) => {
        const piece = fieldOf('sum', item, field as string | undefined, index);
        return piece === undefined || piece === null ? total : total + numberOf('sum', piece, `item ${index}`);
      }, 0),
  },
  {
    name: 'count',
    family: 'numbers',
    description: 'The number of items in a list; with a field, the items where that field is present and not null.',
    params: [fieldParam],
    example: { template: '{{ event.tagIds | count }}', input: ['t1', 't2'], result: 2 },
    apply: (value, [field]) => {
      const list = listOf('count', value);
      if (field === undefined) return list.length;
      return list.filter((item, index) => {
        const piece = fieldOf('count', item, field as string, index);
        return piece !== undefined && piece !== null;
      }).length;
    },
  },
];
