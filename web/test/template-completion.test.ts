import { describe, expect, it } from 'vitest';
import { applySuggestion, completionSpot, jsonPathSpot, samplePaths, suggestionsFor } from '../src/lib/template-completion';

const source = {
  paths: [
    'event.projectId',
    'event.project',
    'event.project.name',
    'event.tags',
    'event.tags[0]',
    'event.tags[0].name',
    'steps.find1.',
    'item.',
    'loop.index',
    'loop.count',
  ],
  functions: [
    { name: 'upper', signature: 'upper' },
    { name: 'formatDate', signature: 'formatDate:pattern,[zone]' },
    { name: 'round', signature: 'round:[digits]' },
  ],
};

describe('template completion', () => {
  it('completes a path only inside an open {{', () => {
    expect(completionSpot('Hello {{ event.pro', 18)).toEqual({ start: 9, end: 18, typed: 'event.pro', kind: 'path' });
    expect(completionSpot('Hello {{ event.pro }} x', 23)).toBeUndefined();
    expect(completionSpot('event.pro', 9)).toBeUndefined();
  });

  it('completes a function after |', () => {
    const text = '{{ event.description | up }}';
    const spot = completionSpot(text, text.indexOf(' }}'));
    expect(spot).toMatchObject({ typed: 'up', kind: 'function' });
    expect(suggestionsFor(spot!, source)).toEqual([{ insert: 'upper', detail: 'upper' }]);
    expect(applySuggestion(text, spot!, 'upper')).toEqual({ value: '{{ event.description | upper }}', caret: 28 });
  });

  it('offers the next level first and loop names inside loops', () => {
    const spot = completionSpot('{{ event.pro', 12)!;
    expect(suggestionsFor(spot, source).map((s) => s.insert)).toEqual(['event.projectId', 'event.project', 'event.project.name']);
    expect(suggestionsFor(completionSpot('{{ lo', 5)!, source).map((s) => s.insert)).toEqual(['loop.index', 'loop.count']);
  });

  it('completes a whole $. path in a path field', () => {
    expect(jsonPathSpot('$.event.ta')).toEqual({ start: 2, end: 10, typed: 'event.ta', kind: 'path' });
    expect(suggestionsFor(jsonPathSpot('$.event.ta')!, source).map((s) => s.insert)).toEqual([
      'event.tags',
      'event.tags[0]',
      'event.tags[0].name',
    ]);
  });

  it('lists the paths of a sample', () => {
    expect(samplePaths({ id: 'e1', tags: [{ name: 'x' }], 'odd key': 1 }, 'event')).toEqual([
      'event.id',
      'event.tags',
      'event.tags[0]',
      'event.tags[0].name',
      'event["odd key"]',
    ]);
  });
});
