/** Text: truncate and literal replace (lower, upper and trim are built into templates.ts). */
import { FUNCTION_LIMITS, fail, scalarText } from './types.js';
import type { TemplateFunction } from './types.js';

export function truncate(text: string, length: number, suffix: string): string {
  const characters = Array.from(text);
  if (characters.length <= length) return text;
  const kept = Array.from(suffix).length >= length ? [] : characters.slice(0, length - Array.from(suffix).length);
  return kept.join('') + suffix;
}

/** Every occurrence of `search`, as plain text (no patterns); refuses before building an oversized result. */
export function replaceAll(name: string, text: string, search: string, replacement: string): string {
  if (replacement.length > search.length) {
    let count = 0;
    for (let at = text.indexOf(search); at !== -1; at = text.indexOf(search, at + search.length)) count++;
    if (text.length + count * (replacement.length - search.length) > FUNCTION_LIMITS.outputSize)
      fail(name, `the result would be longer than ${FUNCTION_LIMITS.outputSize} characters`);
  }
  return text.split(search).join(replacement);
}

export const stringFunctions: TemplateFunction[] = [
  {
    name: 'truncate',
    family: 'strings',
    description: 'Shortens text to at most a number of characters, ending with a suffix (default "…") when cut.',
    params: [
      { name: 'length', type: 'integer', min: 1, max: FUNCTION_LIMITS.truncateLength },
      { name: 'suffix', type: 'string', optional: true },
    ],
    example: { template: '{{ event.description | truncate:12 }}', input: 'Weekly planning meeting', result: 'Weekly plan…' },
    apply: (value, [length, suffix]) => truncate(scalarText('truncate', value), length as number, (suffix as string | undefined) ?? '…'),
  },
  {
    name: 'replace',
    family: 'strings',
    description: 'Replaces every occurrence of a text with another; the search is literal text, not a pattern.',
    params: [
      { name: 'search', type: 'string', check: (search) => (search === '' ? 'must not be empty' : undefined) },
      { name: 'replacement', type: 'string' },
    ],
    example: { template: '{{ event.description | replace:"#urgent","" | trim }}', input: 'Fix login #urgent', result: 'Fix login' },
    apply: (value, [search, replacement]) => replaceAll('replace', scalarText('replace', value), search as string, replacement as string),
  },
];
