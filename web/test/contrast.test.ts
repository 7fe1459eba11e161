import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';

const tokens = readFileSync(new URL('../src/styles/tokens.css', import.meta.url), 'utf8');

/** The colour variables of one theme block of tokens.css. */
function themeColors(theme: 'light' | 'dark'): Record<string, string> {
  const block = new RegExp(`:root\\[data-theme='${theme}'\\]\\s*\\{([^}]*)\\}`).exec(tokens)?.[1] ?? '';
  return Object.fromEntries([...block.matchAll(/--([\w-]+):\s*(#[0-9a-fA-F]{6})\s*;/g)].map((match) => [match[1]!, match[2]!]));
}

function luminance(hex: string): number {
  const channel = (offset: number) => {
    const value = parseInt(hex.slice(offset, offset + 2), 16) / 255;
    return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

function contrast(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/** Text colours and the backgrounds they are used on (WCAG AA: 4.5:1 for text). */
const TEXT_PAIRS: [string, string[]][] = [
  ['text', ['bg', 'surface', 'surface-2', 'surface-3', 'code-bg', 'accent-soft']],
  ['text-2', ['surface', 'surface-2', 'surface-3']],
  ['muted', ['bg', 'surface', 'surface-2', 'surface-3', 'code-bg']],
  ['accent-text', ['bg', 'surface', 'surface-2', 'accent-soft']],
  ['on-accent', ['accent', 'accent-hover']],
  ['danger', ['surface', 'danger-soft']],
  ['ok', ['ok-soft', 'surface']],
  ['warn', ['warn-soft', 'surface']],
  ['info', ['info-soft']],
  ['neutral', ['neutral-soft']],
  ['json-key', ['code-bg']],
  ['json-string', ['code-bg']],
  ['json-number', ['code-bg']],
  ['json-boolean', ['code-bg']],
  ['json-null', ['code-bg']],
  ['bg', ['text']],
];

describe.each(['light', 'dark'] as const)('colour contrast, %s theme', (theme) => {
  const colors = themeColors(theme);

  it('defines every colour the checks name', () => {
    const names = new Set(TEXT_PAIRS.flatMap(([fg, bgs]) => [fg, ...bgs]).concat('focus'));
    expect([...names].filter((name) => !colors[name])).toEqual([]);
  });

  it.each(TEXT_PAIRS)('%s text is readable (≥ 4.5:1) on its backgrounds', (foreground, backgrounds) => {
    for (const background of backgrounds) {
      const ratio = contrast(colors[foreground]!, colors[background]!);
      expect(ratio, `${foreground} on ${background}: ${ratio.toFixed(2)}`).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('has a focus ring that stands out (≥ 3:1) from the surfaces', () => {
    for (const background of ['bg', 'surface', 'surface-2']) expect(contrast(colors.focus!, colors[background]!)).toBeGreaterThanOrEqual(3);
  });
});
