#!/usr/bin/env node
// The README's test command: builds (the browser tests load the built sidebar), runs the unit and
// integration suite, then the browser suite, and closes with one plain summary line for CI.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const skipBuild = args.includes('--no-build');
const only = args.filter((arg) => !arg.startsWith('--'));
mkdirSync('test-artifacts', { recursive: true });

function run(command, commandArgs) {
  const result = spawnSync(command, commandArgs, { stdio: 'inherit', env: process.env });
  return result.status ?? 1;
}

if (!skipBuild && run('npm', ['run', 'build']) !== 0) {
  console.error('build failed');
  process.exit(1);
}

// Folders under src/ point one way (docs/architecture.md): a cycle fails the run before any test.
if (run('npm', ['run', 'check:cycles']) !== 0) {
  console.error('folder cycles under src/ (npm run check:cycles)');
  process.exit(1);
}

const suites = [
  { name: 'unit and integration', config: 'vitest.config.ts', report: 'test-artifacts/vitest.json' },
  { name: 'browser (e2e)', config: 'vitest.e2e.config.ts', report: 'test-artifacts/vitest-e2e.json' },
];
let passed = 0;
let failed = 0;
let skipped = 0;
let exitCode = 0;
for (const suite of suites) {
  if (!existsSync(suite.config)) continue;
  console.log(`\n=== ${suite.name} tests ===`);
  const code = run('npx', ['vitest', 'run', '--config', suite.config, '--reporter=default', '--reporter=json', `--outputFile.json=${suite.report}`, ...only]);
  if (code !== 0) exitCode = code;
  if (existsSync(suite.report)) {
    const report = JSON.parse(readFileSync(suite.report, 'utf8'));
    passed += report.numPassedTests ?? 0;
    failed += report.numFailedTests ?? 0;
    skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
    // A file that failed to load counts as a failure even though it has no tests.
    failed += (report.testResults ?? []).filter((file) => file.status === 'failed' && (file.assertionResults ?? []).length === 0).length;
  } else if (code !== 0) {
    failed += 1;
  }
}
console.log(`\nTests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(exitCode !== 0 || failed > 0 ? 1 : 0);
