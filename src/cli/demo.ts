import { join, relative } from 'node:path';
import { loadConfig } from '../config/index.js';
import type { AppConfig } from '../config/index.js';
import { EDITIONS, getEdition } from '../editions/index.js';
import type { EditionId } from '../editions/types.js';
import { createLogger } from '../observability/logger.js';
import { parse } from './args.js';
import { demoStatePath, readRunningState, recordRunningState } from './demo-state.js';
import { logDestination } from './log-destination.js';
import type { Output } from './output.js';
import { UsageError, UserError } from './output.js';
import { explainListenError, isPortFree, pickFreePort } from './ports.js';
import { startEditions } from './start.js';

/** The sandbox and the three editions wired to it, installed, with links to open: every feature working offline in a minute. */
export async function runDemo(args: string[], out: Output): Promise<number> {
  const { values } = parse(args, {
    'sandbox-port': { type: 'string' },
    'free-ports': { type: 'boolean' },
    'time-entries': { type: 'string' },
  });
  const freePorts = values['free-ports'] === true;
  if (freePorts && values['sandbox-port'] !== undefined) throw new UsageError('--free-ports and --sandbox-port exclude each other');
  const sandboxPort = freePorts ? await pickFreePort() : integer(values['sandbox-port'] as string | undefined, 8100, '--sandbox-port');
  const timeEntries = integer(values['time-entries'] as string | undefined, 2000, '--time-entries');
  const base = loadConfig();
  const running = readRunningState(base.dataDir);
  if (running && running.pid !== process.pid && Object.keys(running.editions).length > 0) {
    throw new UserError(`a demo already runs (process ${running.pid}, sandbox ${running.sandbox}); stop it first (Ctrl+C in its terminal)`);
  }

  // Edition ports: free ones on request, else the configured ones, checked before anything starts.
  const ports: Partial<Record<EditionId, number>> = {};
  for (const edition of EDITIONS) {
    const port = freePorts ? await pickFreePort() : base.editions[edition.id].port;
    if (!freePorts && port !== 0 && !(await isPortFree(port))) {
      throw explainListenError(
        { code: 'EADDRINUSE' },
        getEdition(edition.id).name,
        port,
        `set ${edition.envPrefix}_PORT to a free port, or run the demo with --free-ports`,
      );
    }
    ports[edition.id] = port;
  }

  const logFile = join(base.dataDir, 'logs', 'demo.log');
  const shownLogFile = relative(process.cwd(), logFile) || logFile;
  const logger = createLogger({
    level: process.env.LOG_LEVEL ?? 'info',
    secretKeys: base.secretKeys,
    destination: logDestination(base.logFormat, { file: logFile }),
  });

  const { startSandbox } = await import('../../sandbox/src/index.js');
  out.info('Starting the Clockify sandbox…');
  let sandbox;
  try {
    sandbox = await startSandbox({
      port: sandboxPort,
      dataDir: join(base.dataDir, 'sandbox'),
      seed: { users: 5, projects: 40, timeEntries },
    });
  } catch (error) {
    throw explainListenError(error, 'the Clockify sandbox', sandboxPort, 'pass --sandbox-port N, or --free-ports');
  }
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CLOCKIFY_PUBLIC_KEY: sandbox.publicKeyPem,
    CLOCKIFY_ALLOWED_HOSTS: new URL(sandbox.url).host,
    DATA_DIR: join(base.dataDir, 'demo'),
    // The queue is durable: a demo need not wait long for in-flight jobs on Ctrl+C.
    SHUTDOWN_TIMEOUT_MS: process.env.SHUTDOWN_TIMEOUT_MS ?? '1500',
  };
  for (const edition of EDITIONS) env[`${edition.envPrefix}_PORT`] = String(ports[edition.id]);
  const config: AppConfig = loadConfig(env);
  out.info('Starting the three editions…');
  let editions;
  try {
    editions = await startEditions(config, logger, undefined, {
      portHint: (id) => `set ${getEdition(id).envPrefix}_PORT to a free port, or run the demo with --free-ports`,
      onStopping: () => out.info('\nStopping the demo…'),
      afterStop: () => sandbox.close(),
    });
  } catch (error) {
    await sandbox.close();
    throw error;
  }

  const links: Record<string, { url: string; manifest: string; sidebar: string; workspaceId: string }> = {};
  for (const edition of editions) {
    const ec = edition.runtime.editionConfig;
    const installed = await sandbox.install({ manifestUrl: `${ec.baseUrl}/manifest` });
    if (!installed.installed)
      throw new UserError(
        `installing ${ec.edition.name} failed: ${installed.error ?? `it answered ${installed.status}`} (details in ${shownLogFile})`,
      );
    // Universal Webhook's "call another system" template needs HTTP actions, off by default: the demo turns them on.
    if (ec.edition.capabilities.httpActions && ec.edition.settings.some((s) => s.id === 'enable_http_actions')) {
      await sandbox.updateSettings({ addonKey: ec.key, values: { enable_http_actions: true } });
    }
    const token = await sandbox.userToken({ addonKey: ec.key, role: 'OWNER' });
    links[ec.edition.id] = {
      url: ec.baseUrl,
      manifest: `${ec.baseUrl}/manifest`,
      sidebar: `${ec.baseUrl}/sidebar?auth_token=${token}`,
      workspaceId: installed.workspaceId,
    };
    out.step(`${ec.edition.name}: ${ec.baseUrl} installed in workspace ${installed.workspaceId}`);
  }
  recordRunningState(demoStatePath(base.dataDir), {
    pid: process.pid,
    startedAt: new Date().toISOString(),
    sandbox: sandbox.url,
    editions: Object.fromEntries(editions.map((e) => [e.runtime.edition.id, { url: e.url, baseUrl: e.runtime.editionConfig.baseUrl }])),
    logFile,
  });
  const cli = 'npm run cli --';
  out.result(
    { sandbox: sandbox.url, editions: links, logFile },
    [
      '',
      `Clockify sandbox: ${sandbox.url}   logs: ${shownLogFile}`,
      '',
      'Open a sidebar (tokens last 30 minutes; a fresh one: npm run cli -- token <edition>):',
      ...Object.entries(links).map(([id, link]) => `  ${id.padEnd(18)} ${link.sidebar}`),
      '',
      'Try, in another terminal (they find this demo by themselves):',
      `  ${cli} trigger NEW_TIME_ENTRY            a new signed webhook reaches every edition, live in the sidebar`,
      `  ${cli} trigger NEW_TIME_ENTRY --replay   the same one again: deduplicated`,
      `  ${cli} settings universal-webhook        the settings Clockify would show (change: ID=VALUE)`,
      `  ${cli} token api-studio --role REGULAR   the sidebar as a regular member`,
      '',
      'Stop with Ctrl+C.',
    ].join('\n'),
  );
  return -1;
}

function integer(raw: string | undefined, fallback: number, flag: string): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw new UsageError(`${flag} needs a whole number, got "${raw}"`);
  return Number(raw);
}
