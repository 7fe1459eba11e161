import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { VERB_HELP } from '../../src/cli/help.js';
import { main } from '../../src/main.js';

/** `--help` on the CLI and every verb, and one-line usage errors, as the program prints them. */
describe('the command line explains itself', () => {
  let stdout = '';
  let stderr = '';
  beforeEach(() => {
    stdout = '';
    stderr = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  });
  afterEach(() => vi.restoreAllMocks());

  it("lists every verb in --help, and each verb's --help shows its usage and options", async () => {
    expect(await main(['--help'])).toBe(0);
    const verbs = Object.keys(VERB_HELP);
    for (const verb of verbs) expect(stdout, verb).toContain(`  ${verb}`);
    for (const verb of verbs) {
      stdout = '';
      expect(await main([verb, '--help']), verb).toBe(0);
      expect(stdout).toContain(`Usage: npm run cli -- ${verb}`);
    }
    stdout = '';
    expect(await main(['demo', '--help'])).toBe(0);
    for (const option of ['--free-ports', '--sandbox-port', '--time-entries', '--json']) expect(stdout).toContain(option);
    stdout = '';
    expect(await main(['trigger', '--help'])).toBe(0);
    for (const option of ['--replay', '--payload', '--edition', '--workspace', '--sandbox', '--json']) expect(stdout).toContain(option);
  });

  it('answers a mistake with one line and exit code 2, no stack trace', async () => {
    const cases: [string[], RegExp][] = [
      [['bogus'], /^error: unknown command "bogus" \(try: npm run cli -- --help\)\n$/],
      [['start', '--port', '9000'], /^error: --port needs --edition/],
      [['start', '--edition', 'nope'], /^error: unknown edition "nope"/],
      [['trigger'], /^error: name a Clockify event, e.g. npm run cli -- trigger NEW_TIME_ENTRY\n$/],
      [['demo', '--free-ports', '--sandbox-port', '9000'], /^error: --free-ports and --sandbox-port exclude each other\n$/],
      [['token', 'api-studio', '--colour', 'red'], /^error: Unknown option '--colour'/],
    ];
    for (const [args, expected] of cases) {
      stderr = '';
      expect(await main(args), args.join(' ')).toBe(2);
      expect(stderr).toMatch(expected);
      expect(stderr.trim().split('\n')).toHaveLength(1);
    }
  });

  it('says in one line that nothing runs where a follow-up command looks', async () => {
    stderr = '';
    expect(await main(['token', 'api-studio', '--sandbox', 'http://127.0.0.1:1'])).toBe(1);
    expect(stderr).toBe(
      'error: no sandbox answers at http://127.0.0.1:1; start one with "npm run cli -- demo" (or "npm run cli -- sandbox"), or pass --sandbox URL\n',
    );
  });
});
