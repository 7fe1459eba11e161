/**
 * Abuse benchmark (issue 18): for each hostile input class, the longest event-loop stall it causes
 * in an edition while signed webhooks stream in, and the ingest rate meanwhile compared with the
 * same load without it. Target: no stall over 50 ms, ingest at least 90% of its rate.
 *
 *   npx tsx bench/abuse.ts [--duration 5] [--connections 10] [--only jsonpath,regex] [--json]
 *   ABUSE_BENCH_CPU_PROF=DIR npx tsx bench/abuse.ts …   # a V8 CPU profile of the edition child
 *   COST_BUDGET_BURST=… COST_BUDGET_PER_MINUTE=… npx tsx bench/abuse.ts …   # other cost budget sizes (default: as deployed)
 *
 * One universal-webhook edition (SQLite, job worker on, info logging to /dev/null, as deployed) runs
 * in a child process that trusts a key of our own (the adversarial tests' forger) and talks to a
 * stub Clockify. This process sends the ingest load with autocannon and, in the same seconds, one
 * attacker that repeats its hostile request back to back. The child samples its own event loop
 * (monitorEventLoopDelay, 10 ms resolution) and reports the longest delay of each case.
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { Agent, fetch as attackerFetch } from 'undici';
import { BENCH_ENCRYPTION_KEY, freePort, machineFacts, round, table } from './common.js';

const SELF = fileURLToPath(import.meta.url);
export const ABUSE_TARGETS = { maxStallMs: 50, minIngestRatio: 0.9 };

interface Tokens {
  url: string;
  workspaceId: string;
  webhookToken: string;
  memberToken: string;
  /** The attacker's connection, from an address of its own (see attackerFrom). */
  attacker: Agent;
  ownerToken: string;
  /** One member per case, so each case meets a full cost budget (its worst 4 seconds). */
  memberTokens: string[];
  costBudget: { member: { burst: number; perMinute: number }; ip: { burst: number; perMinute: number }; refusalDelayMs: number };
}

type ChildMessage =
  | ({ type: 'ready' } & Omit<Tokens, 'attacker'>)
  | { type: 'loop'; maxMs: number; p99Ms: number; cpuMs: number }
  | { type: 'error'; message: string };

// ---------------------------------------------------------------------------------------------
// The edition under attack (child process).

async function runEditionChild(): Promise<void> {
  const { forger, userClaims, addonClaims } = await import('../test/adversarial/support/forge.js');
  const { startStubClockify } = await import('../test/adversarial/support/stub-clockify.js');
  const { loadConfig } = await import('../src/config/index.js');
  const { startEdition } = await import('../src/edition.js');
  const { createLogger } = await import('../src/observability/logger.js');
  const { getEdition } = await import('../src/editions/index.js');
  const { webhookPath } = await import('../src/clockify/manifest.js');

  const forge = await forger();
  const stub = await startStubClockify();
  const dataDir = mkdtempSync(join(tmpdir(), 'abuse-bench-'));
  const port = Number(process.env.ABUSE_BENCH_PORT);
  const baseUrl = 'https://addon.example.com';
  const config = loadConfig(
    {
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      DATA_DIR: dataDir,
      UNIVERSAL_WEBHOOK_DB_URL: `sqlite:${join(dataDir, 'universal.db')}`,
      UNIVERSAL_WEBHOOK_BASE_URL: baseUrl,
      ADDON_ENCRYPTION_KEY: BENCH_ENCRYPTION_KEY,
      CLOCKIFY_PUBLIC_KEY: forge.publicKeyPem,
      CLOCKIFY_ALLOWED_HOSTS: stub.host,
      REQUIRE_SIGNATURE_VERIFICATION: 'true',
      RATE_LIMIT_RPS: '1000',
      BOOTSTRAP_RATE_LIMIT_RPS: '1000',
      // The cost budget as deployed, unless this run is given other sizes (COST_BUDGET_BURST=… npx tsx bench/abuse.ts).
      ...Object.fromEntries(
        Object.entries(process.env).filter(
          (entry): entry is [string, string] => entry[0].startsWith('COST_BUDGET_') && entry[1] !== undefined,
        ),
      ),
    },
    { dotenvPath: false },
  );
  const running = await startEdition('universal-webhook', config, { logger: createLogger({ level: 'info' }), port, worker: true });

  // Install one workspace the way Clockify does: INSTALLED with a token per webhook.
  const edition = getEdition('universal-webhook');
  const workspaceId = randomBytes(12).toString('hex');
  const claims = {
    addonKey: running.runtime.editionConfig.key,
    workspaceId,
    addonId: randomBytes(12).toString('hex'),
    userId: randomBytes(12).toString('hex'),
    backendUrl: stub.backendUrl,
  };
  const webhookTokens: Record<string, string> = {};
  for (const event of edition.manifestEvents) webhookTokens[event] = await forge.sign(addonClaims(claims));
  const installed = await fetch(`${running.url}/lifecycle/installed`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-addon-lifecycle-token': await forge.sign(addonClaims(claims, { iat: Math.floor(Date.now() / 1000) })),
    },
    body: JSON.stringify({
      addonId: claims.addonId,
      authToken: await forge.sign(addonClaims(claims)),
      workspaceId,
      asUser: claims.userId,
      apiUrl: stub.backendUrl,
      webhooks: edition.manifestEvents.map((event) => ({
        path: `${baseUrl}${webhookPath(event)}`,
        webhookType: 'ADDON',
        authToken: webhookTokens[event]!,
      })),
    }),
  });
  if (installed.status !== 200) {
    process.send?.({ type: 'error', message: `install failed: ${installed.status} ${await installed.text()}` } satisfies ChildMessage);
    return;
  }
  // The install's own background work must not overlap the measurement.
  const deadline = Date.now() + 10_000;
  for (;;) {
    const counts = await running.runtime.queue.countsByStatus();
    if ((!counts.pending && !counts.running) || Date.now() > deadline) {
      if (counts.pending || counts.running)
        process.stderr.write(`abuse bench: install work still queued after 10 s (jobs scheduled for later): ${JSON.stringify(counts)}\n`);
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  const delays = monitorEventLoopDelay({ resolution: 10 });
  delays.enable();
  process.on('message', async (message: { type: string }) => {
    if (message.type === 'reset') delays.reset();
    if (message.type === 'loop' || message.type === 'reset') {
      const cpu = process.cpuUsage();
      process.send?.({
        type: 'loop',
        maxMs: delays.max / 1e6,
        p99Ms: delays.percentile(99) / 1e6,
        cpuMs: (cpu.user + cpu.system) / 1000,
      } satisfies ChildMessage);
    }
    if (message.type === 'stop') {
      await running.stop();
      await stub.close();
      rmSync(dataDir, { recursive: true, force: true });
      process.exit(0);
    }
  });
  process.send?.({
    type: 'ready',
    url: running.url,
    workspaceId,
    webhookToken: webhookTokens.NEW_TIME_ENTRY!,
    memberToken: await forge.sign(userClaims(claims, 'TEAM_MANAGER', { user: 'member-1' })),
    ownerToken: await forge.sign(userClaims(claims, 'OWNER')),
    memberTokens: await Promise.all(
      Array.from({ length: 16 }, (_, i) => forge.sign(userClaims(claims, 'TEAM_MANAGER', { user: `member-${i + 2}` }))),
    ),
    costBudget: config.costBudget,
  } satisfies ChildMessage);
}

class Child {
  private readonly waiting: ((message: ChildMessage) => void)[] = [];
  constructor(readonly process: ChildProcess) {
    process.on('message', (message: ChildMessage) => this.waiting.shift()?.(message));
    process.on('exit', (code) => {
      for (const resolve of this.waiting.splice(0)) resolve({ type: 'error', message: `child exited with code ${code}` });
    });
  }

  next(timeoutMs = 120_000): Promise<ChildMessage> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve({ type: 'error', message: 'child did not answer in time' }), timeoutMs);
      this.waiting.push((message) => {
        clearTimeout(timer);
        resolve(message);
      });
    });
  }

  request(message: object): Promise<ChildMessage> {
    const answer = this.next();
    this.process.send(message);
    return answer;
  }
}

// ---------------------------------------------------------------------------------------------
// Hostile inputs, one request each (sent back to back by one attacker).

interface Attack {
  name: string;
  description: string;
  /** Sends one hostile request; resolves with its status. */
  send(target: Tokens, signal: AbortSignal): Promise<number>;
  /** Releases what the attack kept open. */
  cleanup?(): Promise<void>;
}

const flowWith = (conditions: unknown, actions: unknown[] = [{ id: 'tags', kind: 'clockify', operationId: 'getTags' }]) => ({
  name: 'hostile',
  enabled: false,
  trigger: { kind: 'clockify', events: ['NEW_TIME_ENTRY'] },
  conditions,
  actions,
});
const deepEvent = (levels: number): unknown => {
  let node: Record<string, unknown> = { leaf: true };
  for (let i = 0; i < levels / 2; i++) node = { a: node, n: [i, i + 1] };
  return node;
};
/**
 * The attacker sends from an address of its own, one per case (127.0.0.2, .3, …; all of 127/8 is
 * this machine's loopback), as each case has a fresh member: an address budget must refuse the
 * attacker without refusing the load, which plays Clockify from 127.0.0.1.
 */
const attackers = new Map<number, Agent>();
function attackerFrom(caseIndex: number): Agent {
  let agent = attackers.get(caseIndex);
  if (!agent) attackers.set(caseIndex, (agent = new Agent({ localAddress: `127.0.0.${2 + caseIndex}` })));
  return agent;
}

/** One hostile POST; its body is built on the first call only, so the attacker's own work stays small. */
const post = (
  path: string,
  token: (t: Tokens) => string | undefined,
  body: (t: Tokens) => string,
  extra: (t: Tokens) => Record<string, string> = () => ({}),
) => {
  let built: string | undefined;
  return async (target: Tokens, signal: AbortSignal) => {
    built ??= body(target);
    const bearer = token(target);
    const response = await attackerFetch(`${target.url}${path}`, {
      method: 'POST',
      signal,
      dispatcher: target.attacker,
      headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), ...extra(target) },
      body: built,
    });
    await response.arrayBuffer();
    return response.status;
  };
};
const member = (t: Tokens) => t.memberToken;
const EYJ_RUN = 'eyJ'.repeat(4_000);
const signedWebhook = (t: Tokens) => ({ 'clockify-webhook-event-type': 'NEW_TIME_ENTRY', 'clockify-signature': t.webhookToken });

function attacks(): Attack[] {
  const matchRules = Array.from({ length: 50 }, (_, i) => ({ path: '$..*', op: 'matches', value: `(?:a|b)*c${i}` }));
  const openStreams: AbortController[] = [];
  return [
    {
      name: 'jsonpath',
      description: 'dry run, `$..*` ×8 over a 124-level sample',
      send: post('/ui/flows/test', member, () =>
        JSON.stringify({
          definition: flowWith({ mode: 'all', rules: [{ path: `$${'..*'.repeat(8)}`, op: 'exists' }] }),
          sample: deepEvent(124),
        }),
      ),
    },
    {
      name: 'regex',
      description: 'dry run, 200 `matches` rules over twenty 10,000-character strings',
      send: post('/ui/flows/test', member, () =>
        JSON.stringify({
          definition: flowWith({ mode: 'any', rules: Array.from({ length: 4 }, () => ({ mode: 'any', rules: matchRules })) }),
          sample: { texts: Array.from({ length: 20 }, () => 'ab'.repeat(5_000)) },
        }),
      ),
    },
    {
      name: 'template',
      description: 'dry run, a parameter of 100 `{{ event | json }}` over a 200 KB sample',
      send: post('/ui/flows/test', member, () =>
        JSON.stringify({
          definition: flowWith({ mode: 'all', rules: [] }, [
            { id: 'tags', kind: 'clockify', operationId: 'getTags', params: { name: '{{ event | json }}'.repeat(100) } },
          ]),
          sample: { text: 'x'.repeat(200_000) },
        }),
      ),
    },
    {
      name: 'sample-size',
      description: 'dry run with a 300 KB sample (refused)',
      send: post('/ui/flows/test', member, () =>
        JSON.stringify({ definition: flowWith({ mode: 'all', rules: [] }), sample: { text: 'x'.repeat(300_000) } }),
      ),
    },
    {
      name: 'redaction',
      description: 'unauthenticated GET with a 12 KB `eyJeyJ…` query (logged)',
      send: async (t, signal) => {
        const response = await attackerFetch(`${t.url}/ui/flows?x=${EYJ_RUN}`, { signal, dispatcher: t.attacker });
        await response.arrayBuffer();
        return response.status;
      },
    },
    {
      name: 'json-depth',
      description: 'webhook nested 5,000 levels (9 KB)',
      send: post(
        '/webhooks/clockify',
        () => undefined,
        (t) => `{"workspaceId":"${t.workspaceId}","x":${'['.repeat(5_000)}1${']'.repeat(5_000)}}`,
        signedWebhook,
      ),
    },
    {
      name: 'json-keys',
      description: 'webhook with an object of 10,001 keys',
      send: post(
        '/webhooks/clockify',
        () => undefined,
        (t) => `{"workspaceId":"${t.workspaceId}","x":{${Array.from({ length: 10_001 }, (_, i) => `"k${i}":0`).join(',')}}}`,
        signedWebhook,
      ),
    },
    {
      name: 'sse-flood',
      description: 'one member opening live streams without end (5 allowed, then 429)',
      send: async (t) => {
        const controller = new AbortController();
        const response = await attackerFetch(`${t.url}/ui/webhooks/stream?auth_token=${t.memberToken}`, {
          signal: controller.signal,
          dispatcher: t.attacker,
        });
        if (response.status === 200) openStreams.push(controller);
        else await response.arrayBuffer();
        return response.status;
      },
      cleanup: async () => {
        for (const controller of openStreams.splice(0)) controller.abort();
      },
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// Load and measurement.

const samplePayload = {
  id: '',
  description: 'abuse bench',
  userId: 'u1',
  projectId: 'p1',
  timeInterval: { start: '2024-01-01T09:00:00Z', end: '2024-01-01T10:00:00Z', duration: 'PT1H' },
  tagIds: [],
  billable: true,
};

async function ingest(target: Tokens, seconds: number, connections: number): Promise<{ rps: number; non2xx: number }> {
  let sequence = 0;
  const prefix = randomBytes(4).toString('hex');
  const result = await autocannon({
    url: target.url,
    connections,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        path: '/webhooks/clockify',
        headers: {
          'content-type': 'application/json',
          'clockify-webhook-event-type': 'NEW_TIME_ENTRY',
          'clockify-signature': target.webhookToken,
        },
        setupRequest: (request) => {
          sequence += 1;
          request.body = JSON.stringify({
            ...samplePayload,
            id: `${prefix}${sequence.toString(16).padStart(16, '0')}`,
            workspaceId: target.workspaceId,
          });
          return request;
        },
      },
    ],
  });
  // Accepted webhooks only: an answer that refuses Clockify's delivery (429, 5xx) is not ingest.
  return { rps: Math.round((result.requests.total - result.non2xx) / seconds), non2xx: result.non2xx };
}

export interface AbuseCase {
  name: string;
  description: string;
  ingestRps: number;
  /** Ingest rate with the attack ÷ the mean of the runs without it. */
  ingestRatio: number;
  longestStallMs: number;
  loopDelayP99Ms: number;
  attacks: number;
  /** Answers the attacker got, by status. */
  statuses: Record<string, number>;
  ingestNon2xx: number;
  /** CPU the edition used during the run. */
  serverCpuMs: number;
  ingestRequests: number;
  /** The edition's CPU per attack: the run's CPU less what its webhooks cost at the baseline's rate, divided by the attacks. */
  cpuMsPerAttack?: number;
  /** The machine's 1-minute load average around the case (other processes included). */
  loadAverage?: number;
}

export interface AbuseBenchResult {
  machine: ReturnType<typeof machineFacts>;
  durationSeconds: number;
  connections: number;
  baselines: { ingestRps: number; longestStallMs: number; cpuMsPerWebhook: number }[];
  cases: AbuseCase[];
  costBudget: Tokens['costBudget'];
}

async function measure(
  child: Child,
  target: Tokens,
  seconds: number,
  connections: number,
  attack?: Attack,
): Promise<Omit<AbuseCase, 'ingestRatio' | 'name' | 'description' | 'cpuMsPerAttack'>> {
  const start = await child.request({ type: 'reset' });
  const controller = new AbortController();
  const statuses: Record<string, number> = {};
  let attacksSent = 0;
  let attacking = true;
  const attacker = (async () => {
    while (attack && attacking) {
      try {
        const status = await attack.send(target, controller.signal);
        statuses[status] = (statuses[status] ?? 0) + 1;
      } catch {
        if (attacking) statuses.error = (statuses.error ?? 0) + 1;
      }
      attacksSent += 1;
    }
  })();
  const load = await ingest(target, seconds, connections);
  const requests = load.rps * seconds;
  attacking = false;
  controller.abort();
  await attacker;
  await attack?.cleanup?.();
  const loop = await child.request({ type: 'loop' });
  return {
    ingestRps: load.rps,
    ingestNon2xx: load.non2xx,
    longestStallMs: loop.type === 'loop' ? round(loop.maxMs, 1) : NaN,
    loopDelayP99Ms: loop.type === 'loop' ? round(loop.p99Ms, 1) : NaN,
    attacks: attacksSent,
    statuses,
    serverCpuMs: loop.type === 'loop' && start.type === 'loop' ? round(loop.cpuMs - start.cpuMs) : NaN,
    ingestRequests: requests,
  };
}

export async function runAbuseBench(
  options: { durationSeconds?: number; connections?: number; only?: string[]; log?: (line: string) => void } = {},
): Promise<AbuseBenchResult> {
  const seconds = options.durationSeconds ?? 5;
  const connections = options.connections ?? 10;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const port = await freePort();
  const child = new Child(
    fork(SELF, [], {
      execArgv: [
        '--import',
        'tsx',
        ...(process.env.ABUSE_BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.ABUSE_BENCH_CPU_PROF}`] : []),
      ],
      env: { ...process.env, ABUSE_BENCH_ROLE: 'edition', ABUSE_BENCH_PORT: String(port) },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    }),
  );
  try {
    const started = await child.next();
    if (started.type !== 'ready') throw new Error(`edition did not start: ${started.type === 'error' ? started.message : started.type}`);
    // Without an attack nothing goes out from the attacker's address; the baselines use the first one's.
    const ready: Tokens = { ...started, attacker: attackerFrom(0) };
    log(`edition ready at ${ready.url}; warming up`);
    await ingest(ready, 5, connections);
    const baselines: AbuseBenchResult['baselines'] = [];
    const cases: AbuseCase[] = [];
    const chosen = attacks().filter((attack) => !options.only || options.only.includes(attack.name));
    const baseline = async () => {
      const run = await measure(child, ready, seconds, connections);
      const cpuMsPerWebhook = run.serverCpuMs / Math.max(1, run.ingestRequests);
      baselines.push({ ingestRps: run.ingestRps, longestStallMs: run.longestStallMs, cpuMsPerWebhook: round(cpuMsPerWebhook, 3) });
      log(`baseline: ${run.ingestRps} req/s, longest stall ${run.longestStallMs} ms, ${round(cpuMsPerWebhook, 3)} CPU ms per webhook`);
      return { rps: run.ingestRps, cpuMsPerWebhook };
    };
    // A baseline before and after each case: the machine is shared, so each case is compared with the runs around it.
    let before = await baseline();
    for (const [index, attack] of chosen.entries()) {
      const loadBefore = loadavg()[0] ?? 0;
      const run = await measure(
        child,
        { ...ready, memberToken: ready.memberTokens[index % ready.memberTokens.length]!, attacker: attackerFrom(index) },
        seconds,
        connections,
        attack,
      );
      const loadAverage = round(((loadavg()[0] ?? 0) + loadBefore) / 2, 1);
      const after = await baseline();
      const reference = (before.rps + after.rps) / 2;
      const webhookCpu = ((before.cpuMsPerWebhook + after.cpuMsPerWebhook) / 2) * run.ingestRequests;
      const cpuMsPerAttack = round(Math.max(0, run.serverCpuMs - webhookCpu) / Math.max(1, run.attacks), 2);
      cases.push({
        name: attack.name,
        description: attack.description,
        ...run,
        ingestRatio: round(run.ingestRps / reference, 2),
        cpuMsPerAttack,
        loadAverage,
      });
      log(
        `${attack.name}: ${run.ingestRps} req/s (${round(run.ingestRps / reference, 2)} of baseline), longest stall ${run.longestStallMs} ms, ${cpuMsPerAttack} CPU ms per attack, ${run.attacks} attacks ${JSON.stringify(run.statuses)}`,
      );
      before = after;
    }
    return { machine: machineFacts(), durationSeconds: seconds, connections, baselines, cases, costBudget: ready.costBudget };
  } finally {
    child.process.send({ type: 'stop' });
    const timer = setTimeout(() => child.process.kill('SIGKILL'), 15_000);
    await new Promise((resolve) => child.process.once('exit', resolve));
    clearTimeout(timer);
  }
}

export function formatAbuseBench(result: AbuseBenchResult): string {
  const met = (value: boolean) => (value ? 'met' : '**missed**');
  const rows = result.cases.map((c) => [
    `${c.name}: ${c.description}`,
    c.attacks,
    Object.entries(c.statuses)
      .map(([status, count]) => `${status}×${count}`)
      .join(' '),
    c.ingestRps,
    c.ingestRatio,
    c.longestStallMs,
    c.cpuMsPerAttack ?? '',
    c.loadAverage ?? '',
    `${met(c.longestStallMs <= ABUSE_TARGETS.maxStallMs)} / ${met(c.ingestRatio >= ABUSE_TARGETS.minIngestRatio)}`,
  ]);
  const baselines = result.baselines
    .map((b) => `${b.ingestRps} req/s (stall ${b.longestStallMs} ms, ${b.cpuMsPerWebhook} CPU ms/webhook)`)
    .join(', ');
  const { member, ip, refusalDelayMs } = result.costBudget;
  return [
    `${result.connections} ingest connections, ${result.durationSeconds} s per run; baselines without attack: ${baselines}.`,
    `Cost budget: ${member.burst} at once then ${member.perMinute}/min per member (a fresh member per case), ${ip.burst} then ${ip.perMinute}/min refused tokens per IP, 429s held ${refusalDelayMs} ms.`,
    '',
    table(
      [
        'hostile input',
        'attacks sent',
        'answers',
        'ingest req/s',
        'ratio to baseline',
        'longest stall ms',
        'edition CPU ms per attack',
        'load average',
        `stall ≤ ${ABUSE_TARGETS.maxStallMs} ms / ingest ≥ ${ABUSE_TARGETS.minIngestRatio * 100}%`,
      ],
      rows,
    ),
  ].join('\n');
}

async function main(argv: string[]): Promise<void> {
  const value = (name: string) => {
    const index = argv.indexOf(`--${name}`);
    return index === -1 ? undefined : argv[index + 1];
  };
  const result = await runAbuseBench({
    durationSeconds: Number(value('duration') ?? 5),
    connections: Number(value('connections') ?? 10),
    only: value('only')?.split(','),
  });
  console.log(
    argv.includes('--json') ? JSON.stringify(result, null, 2) : `${JSON.stringify(result.machine)}\n\n${formatAbuseBench(result)}`,
  );
}

if (process.env.ABUSE_BENCH_ROLE === 'edition') {
  runEditionChild().catch((error) => {
    process.send?.({ type: 'error', message: String((error as Error).stack ?? error) } satisfies ChildMessage);
    process.exit(1);
  });
} else if (process.argv[1] === SELF) {
  main(process.argv.slice(2)).catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
