#!/usr/bin/env node
// The README's test command: lints (eslint + prettier --check), builds (the browser tests load the
// built sidebar), runs the unit and integration suite, then the browser suite, and closes with one
// plain summary line for CI. A lint or build failure fails the run before any test starts.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';

const args = process.argv.slice(2);
const skipBuild = args.includes('--no-build');
const skipLint = args.includes('--no-lint');
const only = args.filter((arg) => !arg.startsWith('--'));
mkdirSync('test-artifacts', { recursive: true });

// Wall time of each step, printed at the end with the slowest test files: where the suite's time goes.
const timings = [];
function run(command, commandArgs, step = commandArgs.join(' ')) {
  const started = Date.now();
  const result = spawnSync(command, commandArgs, { stdio: 'inherit', env: process.env });
  timings.push(`${step}: ${Math.round((Date.now() - started) / 1000)} s`);
  return result.status ?? 1;
}

function runAsync(command, commandArgs, step) {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(command, commandArgs, { stdio: 'inherit', env: process.env });
    child.on('error', () => resolve(1));
    child.on('close', (code) => {
      timings.push(`${step}: ${Math.round((Date.now() - started) / 1000)} s`);
      resolve(code ?? 1);
    });
  });
}

function slowestFiles(report, count) {
  return (report.testResults ?? [])
    .map((file) => ({ name: relative(process.cwd(), file.name), seconds: (file.endTime - file.startTime) / 1000 }))
    .filter((file) => Number.isFinite(file.seconds))
    .sort((a, b) => b.seconds - a.seconds)
    .slice(0, count)
    .map((file) => `  ${file.seconds.toFixed(1).padStart(6)} s  ${file.name}`);
}

// Lint, build and the cycle check do not depend on each other and each keeps about one core busy:
// side by side they take the time of the longest instead of the sum.
const checks = [
  !skipLint && {
    step: 'run lint',
    args: ['run', 'lint'],
    failure: 'lint failed: `npm run lint` lists the problems; `npm run format` fixes the formatting ones',
  },
  !skipBuild && { step: 'run build', args: ['run', 'build'], failure: 'build failed' },
  // Folders under src/ point one way (docs/architecture.md): a cycle fails the run before any test.
  { step: 'run check:cycles', args: ['run', 'check:cycles'], failure: 'folder cycles under src/ (npm run check:cycles)' },
].filter(Boolean);
const checkStarted = Date.now();
const checkCodes = await Promise.all(checks.map((check) => runAsync('npm', check.args, check.step)));
timings.push(`lint, build and cycle check side by side: ${Math.round((Date.now() - checkStarted) / 1000)} s`);
const failedChecks = checks.filter((_, index) => checkCodes[index] !== 0);
if (failedChecks.length > 0) {
  for (const check of failedChecks) console.error(check.failure);
  process.exit(1);
}
// Just built from these sources: the browser suite's global setup (test/e2e/build-page.ts) skips its own
// sidebar build, and tests that start the CLI in a child process run dist/ (test/helpers/main-entry.ts).
if (!skipBuild) {
  process.env.SIDEBAR_JUST_BUILT = '1';
  process.env.TEST_USE_BUILT_MAIN = '1';
}

const suites = [
  { name: 'unit and integration', config: 'vitest.config.ts', report: 'test-artifacts/vitest.json' },
  { name: 'browser (e2e)', config: 'vitest.e2e.config.ts', report: 'test-artifacts/vitest-e2e.json' },
];
let passed = 0;
let failed = 0;
let skipped = 0;
let exitCode = 0;
const slowest = [];
for (const suite of suites) {
  if (!existsSync(suite.config)) continue;
  console.log(`\n=== ${suite.name} tests ===`);
  const code = run(
    'npx',
    ['vitest', 'run', '--config', suite.config, '--reporter=default', '--reporter=json', `--outputFile.json=${suite.report}`, ...only],
    `${suite.name} tests`,
  );
  if (code !== 0) exitCode = code;
  if (existsSync(suite.report)) {
    const report = JSON.parse(readFileSync(suite.report, 'utf8'));
    passed += report.numPassedTests ?? 0;
    failed += report.numFailedTests ?? 0;
    skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
    // A file that failed to load counts as a failure even though it has no tests.
    failed += (report.testResults ?? []).filter((file) => file.status === 'failed' && (file.assertionResults ?? []).length === 0).length;
    const files = slowestFiles(report, 15);
    if (files.length > 0) slowest.push(`Slowest ${suite.name} test files:`, ...files);
  } else if (code !== 0) {
    failed += 1;
  }
}
console.log(`\nTime per step:\n  ${timings.join('\n  ')}`);
console.log(slowest.join('\n'));
console.log(`\nTests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(exitCode !== 0 || failed > 0 ? 1 : 0);
