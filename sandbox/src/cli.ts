import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { startSandbox } from './index.js';
import type { Plan, Sandbox, SandboxOptions } from './types.js';

const USAGE = `Usage: sandbox [options]
  --port <n>              port to listen on (default 0 = any free port)
  --host <host>           interface (default 127.0.0.1)
  --data-dir <dir>        keep the signing key pair in <dir>/sandbox-keys.json
  --seed <n>              demo-data seed (default 1)
  --workspaces <n>        demo workspaces (default 1)
  --users <n>             users per workspace (default 5)
  --projects <n>          projects per workspace (default 40)
  --time-entries <n>      time entries per workspace (default 2000)
  --plan <plan>           FREE|BASIC|STANDARD|PRO|ENTERPRISE (default ENTERPRISE)
  --latency-ms <n>        added to every REST answer
  --error-rate <0..1>     share of REST calls answered 503
  --rate-limit-rate <0..1> share of REST calls answered 429
  --rate-limit <n>        requests per second per add-on per workspace (default 50)
  --log                   log requests
  --help`;

export interface SandboxCommandIo {
  out?: (line: string) => void;
  /** Close the sandbox on SIGINT/SIGTERM (default true). */
  handleSignals?: boolean;
}

/** Parses CLI flags into sandbox options; throws with a readable message on bad input. */
export function parseSandboxArgs(argv: string[]): SandboxOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'data-dir': { type: 'string' },
      seed: { type: 'string' },
      workspaces: { type: 'string' },
      users: { type: 'string' },
      projects: { type: 'string' },
      'time-entries': { type: 'string' },
      plan: { type: 'string' },
      'latency-ms': { type: 'string' },
      'error-rate': { type: 'string' },
      'rate-limit-rate': { type: 'string' },
      'rate-limit': { type: 'string' },
      log: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) return 'help';
  const num = (name: keyof typeof values): number | undefined => {
    const raw = values[name];
    if (raw === undefined || typeof raw === 'boolean') return undefined;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a non-negative number, got "${raw}"`);
    return n;
  };
  const plan = values.plan?.toUpperCase();
  if (plan !== undefined && !['FREE', 'BASIC', 'STANDARD', 'PRO', 'ENTERPRISE'].includes(plan)) {
    throw new Error(`--plan must be FREE, BASIC, STANDARD, PRO or ENTERPRISE, got "${values.plan}"`);
  }
  const options: SandboxOptions = {
    port: num('port') ?? 0,
    seed: {
      seed: num('seed'),
      workspaces: num('workspaces'),
      users: num('users'),
      projects: num('projects'),
      timeEntries: num('time-entries'),
    },
    faults: { latencyMs: num('latency-ms'), errorRate: num('error-rate'), rateLimitRate: num('rate-limit-rate') },
    logger: values.log === true,
  };
  if (values.host) options.host = values.host;
  if (values['data-dir']) options.dataDir = values['data-dir'];
  if (plan) options.plan = plan as Plan;
  const rateLimit = num('rate-limit');
  if (rateLimit !== undefined) options.rateLimitPerSecond = rateLimit;
  return options;
}

/** `sandbox` verb: starts the Clockify stand-in and prints where to find it. */
export async function runSandboxCommand(argv: string[], io: SandboxCommandIo = {}): Promise<Sandbox | undefined> {
  const out = io.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  const options = parseSandboxArgs(argv);
  if (options === 'help') {
    out(USAGE);
    return undefined;
  }
  const sandbox = await startSandbox(options);
  out(`Clockify sandbox listening on ${sandbox.url}`);
  out(`  backendUrl   ${sandbox.backendUrl}`);
  out(`  reportsUrl   ${sandbox.reportsUrl}`);
  out(`  public key   ${sandbox.url}/__sandbox/public-key.pem`);
  for (const ws of sandbox.workspaces()) out(`  workspace    ${ws.id} "${ws.name}" (owner ${ws.ownerId}, ${ws.userIds.length} users)`);
  out(
    `Install an add-on: curl -X POST ${sandbox.url}/__sandbox/install -H 'content-type: application/json' -d '{"manifestUrl":"http://localhost:8000/manifest"}'`,
  );
  if (io.handleSignals ?? true) {
    const stop = () => {
      void sandbox.close().finally(() => process.exit(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  }
  return sandbox;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runSandboxCommand(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
