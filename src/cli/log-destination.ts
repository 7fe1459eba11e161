import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import pino from 'pino';
import type { DestinationStream } from 'pino';

export type LogFormat = 'json' | 'pretty';

/** Where log lines go: a file (the demo and the supervisor's children keep the terminal for people) or a standard stream. */
export type LogTarget = { file: string } | 'stdout' | 'stderr';

const OMITTED = new Set(['time', 'level', 'msg', 'pid', 'hostname']);

/** One JSON log line as one readable line: `12:03:04 WARN  message key=value …`. */
export function prettyLine(jsonLine: string): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(jsonLine) as Record<string, unknown>;
  } catch {
    return jsonLine.endsWith('\n') ? jsonLine : `${jsonLine}\n`;
  }
  const time = typeof record['time'] === 'string' ? record['time'].slice(11, 19) : '';
  const level = String(record['level'] ?? '')
    .toUpperCase()
    .padEnd(5);
  const fields = Object.entries(record)
    .filter(([key]) => !OMITTED.has(key))
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  return `${time} ${level} ${String(record['msg'] ?? '')}${fields.length > 0 ? `  ${fields.join(' ')}` : ''}\n`;
}

/** A pino destination for the format and target; `pretty` rewrites each JSON line before it is written. */
export function logDestination(format: LogFormat, target: LogTarget): DestinationStream {
  // Pretty lines are for people at a terminal or tailing a file: written synchronously, so none is
  // lost when the process exits; JSON keeps pino's buffered writer (pino flushes it on exit).
  const sync = format === 'pretty';
  let base: DestinationStream;
  if (typeof target === 'object') {
    mkdirSync(dirname(target.file), { recursive: true });
    base = pino.destination({ dest: target.file, sync, append: true });
  } else {
    base = pino.destination({ dest: target === 'stderr' ? 2 : 1, sync });
  }
  if (format === 'json') return base;
  return { write: (line: string) => base.write(prettyLine(line)) };
}
