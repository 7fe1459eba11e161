import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/index.js';
import { EDITIONS, isEditionId } from '../editions/index.js';
import type { EditionId } from '../editions/types.js';
import { DEFAULT_SANDBOX_URL, readRunningState } from './demo-state.js';
import { UsageError } from './output.js';
import { SandboxClient } from './sandbox-client.js';

const editionList = EDITIONS.map((e) => e.id).join(', ');

export function editionArg(value: string | undefined): EditionId {
  if (!value) throw new UsageError(`name an edition: ${editionList}`);
  if (!isEditionId(value)) throw new UsageError(`unknown edition "${value}"; expected one of ${editionList}`);
  return value;
}

type Options = Record<string, { type: 'string' | 'boolean' }>;
export type Values = Record<string, string | boolean | undefined>;

export function parse(args: string[], options: Options): { values: Values; positionals: string[] } {
  try {
    const parsed = parseArgs({
      args,
      options: { ...options, json: { type: 'boolean' }, sandbox: { type: 'string' } },
      allowPositionals: true,
      strict: true,
    });
    return { values: parsed.values as Values, positionals: parsed.positionals };
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message.split('\n')[0]! : String(error));
  }
}

/** Where the other verbs reach things: --sandbox, else what the running demo or sandbox recorded, else the defaults. */
export function locate(values: Values): { sandbox: SandboxClient; baseUrl(id: EditionId): string; dataDir: string } {
  const config = loadConfig();
  const running = readRunningState(config.dataDir);
  const sandboxUrl = (values['sandbox'] as string | undefined) ?? running?.sandbox ?? DEFAULT_SANDBOX_URL;
  return {
    sandbox: new SandboxClient(sandboxUrl.replace(/\/+$/, '')),
    baseUrl: (id) => running?.editions[id]?.baseUrl ?? config.editions[id].baseUrl,
    dataDir: config.dataDir,
  };
}

export function readJsonFile(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${error instanceof Error ? error.message : error}`);
  }
}
