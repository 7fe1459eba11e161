import { loadConfig } from '../config/index.js';
import { EDITIONS, getEdition } from '../editions/index.js';
import { createLogger } from '../observability/logger.js';
import { logDestination } from './log-destination.js';
import type { Output } from './output.js';
import { UserError } from './output.js';
import { explainListenError, isPortFree } from './ports.js';
import { portVariableHint } from './start.js';
import { Supervisor } from './supervisor.js';
import type { ReadyMessage } from './supervisor.js';

/** `start` without --edition: the three editions in their own processes, a summary for people, logs on stderr. */
export async function startSupervised(out: Output): Promise<number> {
  const config = loadConfig();
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  for (const edition of EDITIONS) {
    const port = config.editions[edition.id].port;
    if (port !== 0 && !(await isPortFree(port, host)))
      throw explainListenError({ code: 'EADDRINUSE' }, edition.name, port, portVariableHint(edition.id));
  }
  const logger = createLogger({
    level: config.logLevel,
    secretKeys: config.secretKeys,
    destination: logDestination(config.logFormat, 'stderr'),
    base: { pid: process.pid, component: 'supervisor' },
  });
  const supervisor = new Supervisor({ editions: EDITIONS.map((e) => e.id), logger });

  let signals = 0;
  const onSignal = () => {
    signals += 1;
    if (signals > 1) {
      supervisor.kill();
      process.exit(130);
    }
    out.info('Stopping… (Ctrl+C again to stop at once)');
    void supervisor.stop(config.shutdownTimeoutMs + 2000).then(() => {
      logger.flush?.();
      process.exit(0);
    });
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  let ready: ReadyMessage[];
  try {
    ready = await supervisor.start();
  } catch (error) {
    throw new UserError((error as Error).message, (error as { exitCode?: number }).exitCode || 1);
  }
  out.result({ editions: ready }, summary(ready, config.logFormat));
  return -1;
}

function summary(ready: ReadyMessage[], logFormat: string): string {
  return [
    'Clockify add-ons are running, each in its own process (one that crashes is restarted):',
    ...ready.map((r) => `  ${getEdition(r.edition).name.padEnd(18)} ${r.baseUrl.padEnd(24)} manifest ${r.baseUrl}/manifest`),
    '',
    'Each serves / (what it is), /docs (API), /healthz, /ready and /metrics. The sidebar opens inside',
    'Clockify (/sidebar?auth_token=…); locally, `npm run demo` gives a Clockify stand-in and sidebar links.',
    `Logs: ${logFormat === 'json' ? 'JSON lines' : 'readable lines'} on stderr (LOG_FORMAT=json|pretty, LOG_LEVEL).`,
    'Next: install into Clockify by pasting a manifest URL into your workspace (README: "Installing").',
    'Stop with Ctrl+C.',
  ].join('\n');
}
