import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../config/index.js';
import { getEdition } from '../editions/index.js';
import { editionArg, locate, parse } from './args.js';
import { recordRunningState, sandboxStatePath } from './demo-state.js';
import type { Output } from './output.js';
import { UsageError, UserError } from './output.js';
import { explainListenError } from './ports.js';

/** The verbs a developer uses with the local Clockify stand-in: sandbox, install, uninstall, trigger, token, settings, demo. */
export async function runDeveloperCommand(command: string, args: string[], out: Output): Promise<number> {
  switch (command) {
    case 'sandbox':
      return sandboxCommand(args, out);
    case 'install':
    case 'uninstall': {
      const { values, positionals } = parse(args, { workspace: { type: 'string' } });
      const edition = editionArg(positionals[0]);
      const where = locate(values);
      const key = loadConfig().editions[edition].key;
      const workspace = values['workspace'] ? { workspaceId: values['workspace'] } : {};
      // The sandbox's answer to /__sandbox/install and /uninstall (sandbox/src/routes/control.ts).
      type Answer = { installed?: boolean; error?: string; status?: number; workspaceId?: string };
      const result =
        command === 'install'
          ? await where.sandbox.control<Answer>('install', { manifestUrl: `${where.baseUrl(edition)}/manifest`, ...workspace })
          : await where.sandbox.control<Answer>('uninstall', { addonKey: key, ...workspace });
      const name = getEdition(edition).name;
      if (command === 'install' && result.installed === false) {
        throw new UserError(
          `installing ${name} failed: ${result.error ?? `the add-on answered ${result.status}`} (is it running at ${where.baseUrl(edition)}?)`,
        );
      }
      out.result(
        result,
        `${command === 'install' ? 'Installed' : 'Uninstalled'} ${name} in workspace ${result.workspaceId} (the add-on answered ${result.status ?? '—'})`,
      );
      return 0;
    }
    case 'trigger':
      return (await import('./trigger.js')).runTrigger(args, out);
    case 'token': {
      const { values, positionals } = parse(args, { role: { type: 'string' }, workspace: { type: 'string' }, theme: { type: 'string' } });
      const edition = editionArg(positionals[0]);
      const where = locate(values);
      const { token } = await where.sandbox.control<{ token: string }>('token', {
        addonKey: loadConfig().editions[edition].key,
        ...(values['role'] ? { role: String(values['role']).toUpperCase() } : {}),
        ...(values['theme'] ? { theme: String(values['theme']).toUpperCase() } : {}),
        ...(values['workspace'] ? { workspaceId: values['workspace'] } : {}),
      });
      const sidebarUrl = `${where.baseUrl(edition)}/sidebar?auth_token=${token}`;
      out.result({ token, sidebarUrl }, `token: ${token}\nsidebar: ${sidebarUrl}`);
      return 0;
    }
    case 'settings':
      return (await import('./settings.js')).showOrChangeSettings(args, out);
    case 'demo':
      return (await import('./demo.js')).runDemo(args, out);
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

async function sandboxCommand(args: string[], out: Output): Promise<number> {
  const { runSandboxCommand, parseSandboxArgs } = await import('../../sandbox/src/cli.js');
  const rest = args.filter((arg) => arg !== '--json');
  const withPort = rest.some((arg) => arg.startsWith('--port')) ? rest : ['--port', '8100', ...rest];
  const dataDir = loadConfig().dataDir;
  const withData = withPort.some((arg) => arg.startsWith('--data-dir')) ? withPort : ['--data-dir', join(dataDir, 'sandbox'), ...withPort];
  let options;
  try {
    options = parseSandboxArgs(withData);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message.split('\n')[0]! : String(error));
  }
  if (options === 'help') {
    out.info('Usage: npm run cli -- sandbox [options]   (defaults here: --port 8100 --data-dir data/sandbox)\n');
    await runSandboxCommand(['--help']);
    return 0;
  }
  let sandbox;
  try {
    sandbox = await runSandboxCommand(withData);
  } catch (error) {
    throw explainListenError(error, 'the Clockify sandbox', options.port ?? 8100, 'pass --port N (0 = any free port)');
  }
  if (!sandbox) return 0;
  // So a separately started edition can trust it: CLOCKIFY_PUBLIC_KEY_PATH=<data dir>/sandbox/public-key.pem
  const keyDir = withData[withData.indexOf('--data-dir') + 1] ?? join(dataDir, 'sandbox');
  writeFileSync(join(keyDir, 'public-key.pem'), sandbox.publicKeyPem);
  out.step(`public key: ${join(keyDir, 'public-key.pem')}`);
  recordRunningState(sandboxStatePath(dataDir), {
    pid: process.pid,
    startedAt: new Date().toISOString(),
    sandbox: sandbox.url,
    editions: {},
  });
  return -1;
}
