#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config/index.js';
import { EDITIONS, getEdition, isEditionId } from './editions/index.js';
import type { EditionId } from './editions/types.js';
import { buildManifest } from './clockify/manifest.js';
import { Output, UsageError } from './cli/output.js';
import { renderEnvExample } from './cli/env-example.js';
import { startEditions } from './cli/start.js';
import { createLogger } from './observability/logger.js';
import { openDatabase } from './storage/database.js';

const USAGE = `Usage: cap <command> [options]

Commands:
  start [--edition ID]        start all three editions (default) or one: ${EDITIONS.map((e) => e.id).join(', ')}
  migrate [--edition ID]      apply database migrations and exit
  retention [--edition ID]    run the retention clean-up once now (the editions also run it on a timer)
  manifest <edition>          print an edition's manifest
  env-example                 print the documented list of environment variables
  sandbox [options]           start the local Clockify stand-in (see: cap sandbox --help)
  install <edition>           install an edition into the running sandbox
  uninstall <edition>         uninstall it
  trigger <EVENT> [--payload file] [--edition ID]   send a signed Clockify webhook from the sandbox
  token <edition> [--role R]  print a user token and the sidebar URL
  demo                        sandbox + all three editions wired to it, installed; prints links

Options: --json (machine-readable output), --help`;

export async function main(argv: string[]): Promise<number> {
  const command = argv[0];
  const rest = argv.slice(1);
  const json = rest.includes('--json');
  const out = new Output(json);
  try {
    switch (command) {
      case 'start':
        return await start(rest);
      case 'migrate':
        return await migrate(rest, out);
      case 'retention':
        return await retention(rest, out);
      case 'manifest': {
        const edition = requireEdition(rest[0]);
        const config = loadConfig();
        const ec = config.editions[edition];
        process.stdout.write(JSON.stringify(buildManifest({ edition: ec.edition, key: ec.key, baseUrl: ec.baseUrl, settingDefaults: ec.settingDefaults }), null, 2) + '\n');
        return 0;
      }
      case 'env-example':
        process.stdout.write(renderEnvExample());
        return 0;
      case 'sandbox':
      case 'install':
      case 'uninstall':
      case 'trigger':
      case 'token':
      case 'demo': {
        const { runDeveloperCommand } = await import('./cli/developer.js');
        return await runDeveloperCommand(command, rest, out);
      }
      case undefined:
      case '--help':
      case 'help':
        process.stdout.write(USAGE + '\n');
        return command === undefined ? 1 : 0;
      default:
        throw new UsageError(`unknown command "${command}" (try: cap --help)`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`error: ${error.message}\n`);
      return 2;
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
  const { values } = parseArgs({ args, options: { edition: { type: 'string' }, json: { type: 'boolean' } }, allowPositionals: false, strict: true });
  return values.edition ? [requireEdition(values.edition)] : EDITIONS.map((e) => e.id);
}

async function start(args: string[]): Promise<number> {
  const editions = parseOrUsage(() => editionOption(args));
  const config = loadConfig();
  const logger = createLogger({ level: config.logLevel, secretKeys: config.secretKeys });
  await startEditions(config, logger, editions);
  return -1; // keep running
}

async function migrate(args: string[], out: Output): Promise<number> {
  const editions = parseOrUsage(() => editionOption(args));
  const config = loadConfig();
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
  const logger = createLogger({ level: config.logLevel, secretKeys: config.secretKeys });
  const { runRetentionOnce } = await import('./retention/index.js');
  const results: Record<string, unknown> = {};
  for (const id of editions) {
    const report = await runRetentionOnce(id, config, logger);
    results[id] = report;
    const removed = Object.entries(report.deleted).filter(([, count]) => count > 0).map(([table, count]) => `${table} ${count}`);
    out.step(`${getEdition(id).name}: ${report.ran ? (removed.length > 0 ? `removed ${removed.join(', ')}` : 'nothing to remove') : `skipped (${report.reason})`} in ${Math.round(report.durationMs)} ms`);
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
      process.stderr.write(`fatal: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
