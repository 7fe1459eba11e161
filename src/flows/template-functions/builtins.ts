/** Catalogue entries for the filters implemented inside templates.ts, so the list shown to users is complete. */
import type { TemplateFunction } from './types.js';

export const builtinFunctions: TemplateFunction[] = [
  {
    name: 'default',
    family: 'values',
    description: 'The given value when the value is missing, null or empty text. Put it last to cover every function before it.',
    params: [{ name: 'value', type: 'string' }],
    example: { template: '{{ event.projectId | default:"no project" }}', input: null, result: 'no project' },
  },
  {
    name: 'lower',
    family: 'strings',
    description: 'Text in lower case.',
    params: [],
    example: { template: '{{ event.description | lower }}', input: 'Fix Login', result: 'fix login' },
  },
  {
    name: 'upper',
    family: 'strings',
    description: 'Text in upper case.',
    params: [],
    example: { template: '{{ event.description | upper }}', input: 'Fix Login', result: 'FIX LOGIN' },
  },
  {
    name: 'trim',
    family: 'strings',
    description: 'Text without leading and trailing spaces.',
    params: [],
    example: { template: '{{ event.description | trim }}', input: '  Fix login ', result: 'Fix login' },
  },
  {
    name: 'json',
    family: 'values',
    description: 'The value written as JSON text.',
    params: [],
    example: { template: '{{ event.tagIds | json }}', input: ['t1', 't2'], result: '["t1","t2"]' },
  },
  {
    name: 'urlencode',
    family: 'strings',
    description: 'Text encoded for a URL query or path segment.',
    params: [],
    example: { template: '{{ event.description | urlencode }}', input: 'a&b c', result: 'a%26b%20c' },
  },
];
