import type { Output } from './output.js';
import { UsageError } from './output.js';

/** Developer verbs that talk to the sandbox (filled in with the sandbox). */
export async function runDeveloperCommand(command: string, _args: string[], _out: Output): Promise<number> {
  throw new UsageError(`"${command}" is not available yet`);
}
