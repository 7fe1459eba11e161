import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/index.js';
import type { AppConfig } from '../config/index.js';
import { EDITIONS, isEditionId } from '../editions/index.js';
import type { EditionId } from '../editions/types.js';
import { createLogger } from '../observability/logger.js';
import type { Output } from './output.js';
import { UsageError } from './output.js';
import { startEditions } from './start.js';

/** Where `cap sandbox` and `cap demo` listen unless told otherwise, and where the other verbs look for it. */
export const DEFAULT_SANDBOX_URL = 'http://127.0.0.1:8100';

const editionList = EDITIONS.map((e) => e.id).join(', ');

function editionArg(value: string | undefined): EditionId {
  if (!value) throw new UsageError(`name an edition: ${editionList}`);
  if (!isEditionId(value)) throw new UsageError(`unknown edition "${value}"; expected one of ${editionList}`);
  return value;
}

type Options = Record<string, { type: 'string' | 'boolean' }>;

function parse(args: string[], options: Options): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  try {
    const parsed = parseArgs({ args, options: { ...options, json: { type: 'boolean' }, sandbox: { type: 'string' } }, allowPositionals: true, strict: true });
    return { values: parsed.values as Record<string, string | boolean | undefined>, positionals: parsed.positionals };
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message.split('\n')[0]! : String(error));
  }
}

async function control(sandboxUrl: string, path: string, body: unknown): Promise<any> {
  let response: Response;
  try {
    response = await fetch(`${sandboxUrl}/__sandbox/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  } catch {
    throw new UsageError(`no sandbox answers at ${sandboxUrl} (start one with: cap sandbox --port 8100, or pass --sandbox URL)`);
  }
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (!response.ok) throw new UsageError(`the sandbox refused: ${data?.message ?? response.status}`);
  return data;
}

/** The verbs a developer uses with the local Clockify stand-in: sandbox, install, uninstall, trigger, token, demo. */
export async function runDeveloperCommand(command: string, args: string[], out: Output): Promise<number> {
  switch (command) {
    case 'sandbox': {
      const { runSandboxCommand } = await import('../../sandbox/src/cli.js');
      const rest = args.filter((arg) => arg !== '--json');
      const withPort = rest.some((arg) => arg.startsWith('--port')) ? rest : ['--port', '8100', ...rest];
      const withData = withPort.some((arg) => arg.startsWith('--data-dir')) ? withPort : ['--data-dir', join(loadConfig().dataDir, 'sandbox'), ...withPort];
      const sandbox = await runSandboxCommand(withData);
      if (!sandbox) return 0;
      // So a separately started edition can trust it: CLOCKIFY_PUBLIC_KEY_PATH=<data dir>/sandbox/public-key.pem
      const dataDir = withData[withData.indexOf('--data-dir') + 1] ?? join(loadConfig().dataDir, 'sandbox');
      writeFileSync(join(dataDir, 'public-key.pem'), sandbox.publicKeyPem);
      out.step(`public key: ${join(dataDir, 'public-key.pem')}`);
      return -1;
    }
    case 'install':
    case 'uninstall': {
      const { values, positionals } = parse(args, { workspace: { type: 'string' } });
      const edition = editionArg(positionals[0]);
      const config = loadConfig();
      const ec = config.editions[edition];
      const sandboxUrl = (values.sandbox as string | undefined) ?? DEFAULT_SANDBOX_URL;
      const result =
        command === 'install'
          ? await control(sandboxUrl, 'install', { manifestUrl: `${ec.baseUrl}/manifest`, ...(values.workspace ? { workspaceId: values.workspace } : {}) })
          : await control(sandboxUrl, 'uninstall', { addonKey: ec.key, ...(values.workspace ? { workspaceId: values.workspace } : {}) });
      const ok = command === 'uninstall' || result.installed !== false;
      out.result(result, ok ? `${command === 'install' ? 'Installed' : 'Uninstalled'} ${ec.edition.name} in workspace ${result.workspaceId} (the add-on answered ${result.status ?? '—'})` : `Install failed: ${result.error ?? `the add-on answered ${result.status}`}`);
      return ok ? 0 : 1;
    }
    case 'trigger': {
      const { values, positionals } = parse(args, { payload: { type: 'string' }, workspace: { type: 'string' }, edition: { type: 'string' } });
      const event = positionals[0];
      if (!event || !/^[A-Z_]+$/.test(event)) throw new UsageError('name a Clockify event, e.g. cap trigger NEW_TIME_ENTRY');
      let payload: unknown;
      if (values.payload) {
        try {
          payload = JSON.parse(readFileSync(values.payload as string, 'utf8'));
        } catch (error) {
          throw new UsageError(`cannot read the payload file: ${error instanceof Error ? error.message : error}`);
        }
      }
      const addonKey = values.edition ? loadConfig().editions[editionArg(values.edition as string)].key : undefined;
      const deliveries = (await control((values.sandbox as string | undefined) ?? DEFAULT_SANDBOX_URL, 'trigger', { event, ...(payload ? { payload } : {}), ...(values.workspace ? { workspaceId: values.workspace } : {}), ...(addonKey ? { addonKey } : {}) })) as { url: string; status?: number; error?: string }[];
      out.result(deliveries, deliveries.length === 0 ? `${event}: no webhook of that event is registered` : deliveries.map((d) => `${event} → ${d.url}: ${d.status ?? d.error ?? 'sent'}`).join('\n'));
      return deliveries.length > 0 ? 0 : 1;
    }
    case 'token': {
      const { values, positionals } = parse(args, { role: { type: 'string' }, workspace: { type: 'string' }, theme: { type: 'string' } });
      const edition = editionArg(positionals[0]);
      const ec = loadConfig().editions[edition];
      const { token } = await control((values.sandbox as string | undefined) ?? DEFAULT_SANDBOX_URL, 'token', { addonKey: ec.key, ...(values.role ? { role: values.role } : {}), ...(values.theme ? { theme: values.theme } : {}), ...(values.workspace ? { workspaceId: values.workspace } : {}) });
      const sidebarUrl = `${ec.baseUrl}/sidebar?auth_token=${token}`;
      out.result({ token, sidebarUrl }, `token: ${token}\nsidebar: ${sidebarUrl}`);
      return 0;
    }
    case 'demo':
      return demo(args, out);
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

/** The sandbox and the three editions wired to it, installed, with links to open: every feature working offline in a minute. */
async function demo(args: string[], out: Output): Promise<number> {
  const { values } = parse(args, { 'sandbox-port': { type: 'string' }, 'time-entries': { type: 'string' } });
  const { startSandbox } = await import('../../sandbox/src/index.js');
  const base = loadConfig();
  out.info('Starting the Clockify sandbox…');
  const sandbox = await startSandbox({
    port: Number(values['sandbox-port'] ?? 8100),
    dataDir: join(base.dataDir, 'sandbox'),
    seed: { users: 5, projects: 40, timeEntries: Number(values['time-entries'] ?? 2000) },
  });
  out.step(`sandbox: ${sandbox.url}`);
  const env = { ...process.env, CLOCKIFY_PUBLIC_KEY: sandbox.publicKeyPem, CLOCKIFY_ALLOWED_HOSTS: new URL(sandbox.url).host, DATA_DIR: join(base.dataDir, 'demo') };
  const config: AppConfig = loadConfig(env);
  const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'warn', secretKeys: config.secretKeys });
  out.info('Starting the three editions…');
  const running = await startEditions(config, logger);
  const links: Record<string, { url: string; sidebar: string; manifest: string }> = {};
  for (const edition of running) {
    const ec = edition.runtime.editionConfig;
    const installed = await sandbox.install({ manifestUrl: `${ec.baseUrl}/manifest` });
    if (!installed.installed) throw new Error(`installing ${ec.edition.name} failed: ${installed.error ?? installed.status}`);
    const token = await sandbox.userToken({ addonKey: ec.key, role: 'OWNER' });
    links[ec.edition.id] = { url: edition.url, manifest: `${ec.baseUrl}/manifest`, sidebar: `${ec.baseUrl}/sidebar?auth_token=${token}` };
    out.step(`${ec.edition.name}: installed in workspace ${installed.workspaceId}`);
  }
  process.once('SIGINT', () => void sandbox.close());
  process.once('SIGTERM', () => void sandbox.close());
  out.result(
    { sandbox: sandbox.url, editions: links },
    [
      '',
      'Open a sidebar (tokens are valid for 30 minutes; `npm run cli -- token <edition>` prints a fresh one):',
      ...Object.entries(links).map(([id, link]) => `  ${id.padEnd(18)} ${link.sidebar}`),
      '',
      'Try: npm run cli -- trigger NEW_TIME_ENTRY     (a signed webhook reaches every edition)',
      'Stop with Ctrl+C.',
    ].join('\n'),
  );
  return -1;
}
