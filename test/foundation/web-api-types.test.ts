/**
 * The sidebar keeps no copy of a server shape: web/src/api/types.ts only names parts of the types
 * generated from the server's OpenAPI document (scripts/web-api-types.ts). A hand-written
 * interface or object type there would drift from the routes' schemas unnoticed.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const TYPES = 'web/src/api/types.ts';

/** The file without comments and import lines: what is left declares the names. */
function declarations(source: string): string {
  return source
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\/\/.*$/gm, '')
    .split('\n')
    .filter((line) => !/^\s*import\s/.test(line))
    .join('\n');
}

/** What the test fails on, by line, so the message names the offending declaration. */
function handWrittenShapes(source: string): string[] {
  return declarations(source)
    .split(/;\s*\n|\n(?=\s*(?:export\s+)?(?:type|interface)\b)/)
    .map((statement) => statement.trim())
    .filter((statement) => {
      if (statement === '') return false;
      // Braces inside a path ('/ui/flows/runs/{runId}') name a route, not a shape.
      const code = statement.replace(/'[^']*'/g, "''");
      return /\binterface\b/.test(code) || code.includes('{') || !/^(export\s+)?type\s+\w+\s*=/.test(code);
    });
}

describe('web/src/api/types.ts', () => {
  it('only aliases the generated types: no interface, no object type, nothing but type aliases', () => {
    const source = readFileSync(TYPES, 'utf8');
    expect(source).toMatch(/from '\.\/generated\/openapi'/);
    expect(handWrittenShapes(source)).toEqual([]);
  });

  it('notices a hand-written shape (the check itself can fail)', () => {
    expect(handWrittenShapes('export interface Me { id: string }\n')).toHaveLength(1);
    expect(handWrittenShapes('export type Me = { id: string };\n')).toHaveLength(1);
    expect(handWrittenShapes("export type Me = Answer<'/ui/me', 'get'> & { extra: number };\n")).toHaveLength(1);
    expect(
      handWrittenShapes("export type Me = Answer<'/ui/me', 'get'>;\n/** a comment { braces } */\nexport type Id = Me['id'];\n"),
    ).toEqual([]);
  });
});
