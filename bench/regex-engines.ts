/**
 * The `matches` engine before and after: the hand-written Pike VM (bench/support/pike-vm-regex.ts)
 * against re2js behind the same checks (src/flows/condition-regex.ts), on the patterns of
 * test/flows/condition-regex.test.ts and on hostile ones, each tested against 10,000-character
 * subjects (the longest a rule looks at). Median of a few runs, in milliseconds per test call.
 *
 *   npx tsx bench/regex-engines.ts            # a table on stdout
 *   npx tsx bench/regex-engines.ts --json
 */
import { compileSafeRegex, MAX_SUBJECT_LENGTH } from '../src/flows/condition-regex.js';
import { compileSafeRegex as compilePikeVm } from './support/pike-vm-regex.js';
import { machineFacts } from './common.js';

const TABLE_PATTERNS = [
  'urgent',
  '^PROJ-\\d+$',
  'colou?r',
  '^a{2,3}$',
  '^(?:ab|cd)+$',
  '^(?<year>\\d{4})-(\\d{2})$',
  '\\bcat\\b',
  '[^a-z]',
  '[\\d.]+',
  '^\\p{Lu}',
];
const HOSTILE_PATTERNS = [
  'a*a*b',
  '.*.*x',
  '\\w+\\s*\\w+x',
  '(?:a|ab)*c',
  '(?:a|a)*b',
  `${'.{0,50}'.repeat(5)}x`,
  `${'[a-z]{0,20}'.repeat(8)}!`,
];
const SUBJECTS: Record<string, string> = {
  'a×10k': 'a'.repeat(MAX_SUBJECT_LENGTH),
  'ab×5k': 'ab'.repeat(MAX_SUBJECT_LENGTH / 2),
  'text 10k': 'The quick brown fox jumps over the lazy dog PROJ-123 '.repeat(200).slice(0, MAX_SUBJECT_LENGTH),
};
const RUNS = 5;

interface Row {
  pattern: string;
  subject: string;
  pikeVmMs: number;
  re2jsMs: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function timeTest(test: (subject: string) => boolean, subject: string): number {
  test(subject); // warm-up (and compile-time caches)
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const start = performance.now();
    test(subject);
    times.push(performance.now() - start);
  }
  return Math.round(median(times) * 100) / 100;
}

const rows: Row[] = [];
for (const pattern of [...TABLE_PATTERNS, ...HOSTILE_PATTERNS]) {
  const before = compilePikeVm(pattern);
  const after = compileSafeRegex(pattern);
  if (!before.ok || !after.ok) {
    console.error(`skipped ${pattern}: ${before.ok ? '' : before.message} ${after.ok ? '' : after.message}`);
    continue;
  }
  for (const [subject, text] of Object.entries(SUBJECTS)) {
    rows.push({ pattern, subject, pikeVmMs: timeTest(before.regex.test, text), re2jsMs: timeTest(after.regex.test, text) });
  }
}

const total = (key: 'pikeVmMs' | 're2jsMs') => Math.round(rows.reduce((sum, row) => sum + row[key], 0) * 10) / 10;
if (process.argv.includes('--json')) {
  console.log(
    JSON.stringify({ machine: machineFacts(), rows, totals: { pikeVmMs: total('pikeVmMs'), re2jsMs: total('re2jsMs') } }, null, 2),
  );
} else {
  console.log(JSON.stringify(machineFacts()));
  console.log('| pattern | subject | Pike VM ms | re2js ms |\n|---|---|---:|---:|');
  for (const row of rows) console.log(`| \`${row.pattern.replaceAll('|', '\\|')}\` | ${row.subject} | ${row.pikeVmMs} | ${row.re2jsMs} |`);
  console.log(`| **all** | | **${total('pikeVmMs')}** | **${total('re2jsMs')}** |`);
}
