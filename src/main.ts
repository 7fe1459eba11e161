#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config/index.js';
import { EDITIONS, getEdition, isEditionId } from './editions/index.js';
import type { EditionId } from './editions/types.js';
import { Output, UsageError, UserError } from './cli/output.js';
import { USAGE, VERB_HELP } from './cli/help.js';

// Each command imports what it needs when it runs: `token` or `--help` need not load the server (about a second).

export async function main(argv: string[]): Promise<number> {
  const command = argv[0];
  const rest = argv.slice(1);
  const json = rest.includes('--json');
  const out = new Output(json);
  try {
    if (command !== undefined && (rest.includes('--help') || rest.includes('-h')) && command !== 'sandbox') {
      const help = VERB_HELP[command];
      if (!help) throw new UsageError(`unknown command "${command}" (try: npm run cli -- --help)`);
      process.stdout.write(help + '\n');
      return 0;
    }
    switch (command) {
      case 'start':
        return await start(rest, out);
      case 'migrate':
        return await migrate(rest, out);
      case 'retention':
        return await retention(rest, out);
      case 'manifest': {
        const edition = requireEdition(rest[0]);
        const { buildManifest } = await import('./clockify/manifest.js');
        const config = loadConfig();
        const ec = config.editions[edition];
        process.stdout.write(
          JSON.stringify(
            buildManifest({ edition: ec.edition, key: ec.key, baseUrl: ec.baseUrl, settingDefaults: ec.settingDefaults }),
            null,
            2,
          ) + '\n',
        );
        return 0;
      }
      case 'env-example': {
        const { renderEnvExample } = await import('./cli/env-example.js');
        process.stdout.write(renderEnvExample());
        return 0;
      }
      case 'sandbox':
      case 'install':
      case 'uninstall':
      case 'trigger':
      case 'token':
      case 'settings':
      case 'demo': {
        const { runDeveloperCommand } = await import('./cli/developer.js');
        return await runDeveloperCommand(command, rest, out);
      }
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        process.stdout.write(USAGE + '\n');
        return command === undefined ? 1 : 0;
      default:
        throw new UsageError(`unknown command "${command}" (try: npm run cli -- --help)`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`error: ${error.message}\n`);
      return 2;
    }
    if (error instanceof UserError) {
      process.stderr.write(`error: ${error.message}\n`);
      return error.exitCode;
    }
    if (error instanceof ConfigError) {
      process.stderr.write(error.message + '\n');
      return 78;
    }
    throw error;
  }
}

function requireEdition(value: string | undefined): EditionId {
  if (!value) throw new UsageError(`name an edition: ${EDITIONS.map((e) => e.id).join(', ')}`);
  if (!isEditionId(value)) throw new UsageError(`unknown edition "${value}"; expected one of ${EDITIONS.map((e) => e.id).join(', ')}`);
  return value;
}

function editionOption(args: string[]): EditionId[] {
  const { values } = parseArgs({
    args,
    options: { edition: { type: 'string' }, json: { type: 'boolean' } },
    allowPositionals: false,
    strict: true,
  });
  return values.edition ? [requireEdition(values.edition)] : EDITIONS.map((e) => e.id);
}

async function start(args: string[], out: Output): Promise<number> {
  const { values } = parseOrUsage(() =>
    parseArgs({
      args,
      options: { edition: { type: 'string' }, port: { type: 'string' }, json: { type: 'boolean' } },
      allowPositionals: false,
      strict: true,
    }),
  );
  if (values.port !== undefined && !values.edition)
    throw new UsageError('--port needs --edition (set API_STUDIO_PORT, UW_PORT and CLOCKIFY_ADDON_PORT to move all three)');
  if (!values.edition) {
    const { startSupervised } = await import('./cli/start-supervised.js');
    return startSupervised(out);
  }
  const edition = requireEdition(values.edition);
  if (values.port !== undefined) {
    if (!/^\d+$/.test(values.port) || Number(values.port) > 65535)
      throw new UsageError(`--port needs a port 0..65535, got "${values.port}"`);
    // Through the variable, so the default public URL follows the port.
    process.env[`${getEdition(edition).envPrefix}_PORT`] = values.port;
  }
  const config = loadConfig();
  const [{ createLogger }, { logDestination }, { startEditions }] = await Promise.all([
    import('./observability/logger.js'),
    import('./cli/log-destination.js'),
    import('./cli/start.js'),
  ]);
  const logger = createLogger({
    level: config.logLevel,
    secretKeys: config.secretKeys,
    destination: logDestination(config.logFormat, 'stdout'),
  });
  const portHint = values.port !== undefined ? () => 'pass another --port' : undefined;
  const [running] = await startEditions(config, logger, [edition], portHint ? { portHint } : {});
  if (process.send && running) {
    // Supervised: say where it listens, and stop when the supervisor is gone.
    process.send({ type: 'ready', edition, url: running.url, baseUrl: running.runtime.editionConfig.baseUrl });
    process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
  }
  return -1; // keep running
}

async function migrate(args: string[], out: Output): Promise<number> {
  const editions = parseOrUsage(() => editionOption(args));
  const config = loadConfig();
  const { openDatabase } = await import('./database.js');
  const results: Record<string, string> = {};
  for (const id of editions) {
    const database = await openDatabase(config.editions[id].databaseUrl);
    results[id] = database.description;
    out.step(`${getEdition(id).name}: migrations applied (${database.description})`);
    await database.close();
  }
  out.result(results);
  return 0;
}

async function retention(args: string[], out: Output): Promise<number> {
  const editions = parseOrUsage(() => editionOption(args));
  const config = loadConfig();
  const { createLogger } = await import('./observability/logger.js');
  const logger = createLogger({ level: config.logLevel, secretKeys: config.secretKeys });
  const { runRetentionOnce } = await import('./cli/retention-once.js');
  const results: Record<string, unknown> = {};
  for (const id of editions) {
    const report = await runRetentionOnce(id, config, logger);
    results[id] = report;
    const removed = Object.entries(report.deleted)
      .filter(([, count]) => count > 0)
      .map(([table, count]) => `${table} ${count}`);
    out.step(
      `${getEdition(id).name}: ${report.ran ? (removed.length > 0 ? `removed ${removed.join(', ')}` : 'nothing to remove') : `skipped (${report.reason})`} in ${Math.round(report.durationMs)} ms`,
    );
  }
  out.result(results);
  return 0;
}

function parseOrUsage<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

const isEntry = process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href;
const isEntryResolved = isEntry || /main\.(ts|js)$/.test(process.argv[1] ?? '');
if (isEntryResolved) {
  main(process.argv.slice(2)).then(
    (code) => {
      if (code >= 0) process.exitCode = code;
    },
    (error) => {
      // Our own failure, not the user's: the stack helps a bug report.
      process.stderr.write(`fatal: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
