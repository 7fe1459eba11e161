/** Lists: join items (or one field of each) into text. */
import { FUNCTION_LIMITS, fail } from './types.js';
import type { TemplateFunction } from './types.js';

export function join(value: unknown, separator: string): string {
  if (!Array.isArray(value)) fail('join', 'expects a list');
  let out = '';
  for (const [index, item] of value.entries()) {
    if (item !== null && typeof item === 'object')
      fail('join', `item ${index} is ${Array.isArray(item) ? 'a list' : 'an object'}; join a list of texts or numbers`);
    out += (index === 0 ? '' : separator) + (item === null || item === undefined ? '' : String(item));
    if (out.length > FUNCTION_LIMITS.outputSize) fail('join', `the result would be longer than ${FUNCTION_LIMITS.outputSize} characters`);
  }
  return out;
}

export const listFunctions: TemplateFunction[] = [
  {
    name: 'join',
    family: 'lists',
    description: 'Joins a list of texts or numbers with a separator (default ", ").',
    params: [{ name: 'separator', type: 'string', optional: true }],
    example: { template: '{{ event.tagIds | join:" / " }}', input: ['t1', 't2'], result: 't1 / t2' },
    apply: (value, [separator]) => join(value, (separator as string | undefined) ?? ', '),
  },
];
