import { describe, expect, it } from 'vitest';
import { lineDiff, stableJson, withContext } from '../src/lib/line-diff';

const text = (lines: string[]) => lines.join('\n');

describe('line diff of two versions', () => {
  it('marks what was removed and added, keeping the lines both share in order', () => {
    expect(lineDiff(text(['a', 'b', 'c', 'd']), text(['a', 'c', 'x', 'd']))).toEqual([
      { kind: 'same', text: 'a' },
      { kind: 'removed', text: 'b' },
      { kind: 'same', text: 'c' },
      { kind: 'added', text: 'x' },
      { kind: 'same', text: 'd' },
    ]);
  });

  it('rebuilds each side from its lines, whatever the texts', () => {
    const cases: [string, string][] = [
      ['', ''],
      ['', 'a\nb'],
      ['a\nb', ''],
      ['x\ny\nz', 'z\ny\nx'],
      ['1\n2\n2\n3', '2\n3\n3\n1'],
    ];
    for (const [before, after] of cases) {
      const diff = lineDiff(before, after);
      expect(text(diff.filter((l) => l.kind !== 'added').map((l) => l.text))).toBe(before);
      expect(text(diff.filter((l) => l.kind !== 'removed').map((l) => l.text))).toBe(after);
    }
  });

  it('compares definitions regardless of key order, and shows a changed value as one line out, one in', () => {
    const before = stableJson({ name: 'a', actions: [{ id: 'x', params: { id: '1' } }] });
    const after = stableJson({ actions: [{ params: { id: '2' }, id: 'x' }], name: 'a' });
    const changed = lineDiff(before, after).filter((line) => line.kind !== 'same');
    expect(changed).toEqual([
      { kind: 'removed', text: '        "id": "1"' },
      { kind: 'added', text: '        "id": "2"' },
    ]);
  });

  it('cuts long unchanged stretches to a gap with a count', () => {
    const before = text(Array.from({ length: 20 }, (_, i) => `l${i}`));
    const after = before.replace('l10', 'changed');
    const shown = withContext(lineDiff(before, after), 2);
    expect(shown[0]).toEqual({ kind: 'gap', count: 8 });
    expect(shown.filter((line) => line.kind !== 'gap').map((line) => ('text' in line ? line.text : ''))).toEqual([
      'l8',
      'l9',
      'l10',
      'changed',
      'l11',
      'l12',
    ]);
    expect(shown[shown.length - 1]).toEqual({ kind: 'gap', count: 7 });
    expect(withContext(lineDiff('a', 'a'))).toEqual([{ kind: 'gap', count: 1 }]);
  });
});
