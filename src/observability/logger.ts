import pino from 'pino';
import type { DestinationStream, Logger } from 'pino';
import { createRedactor, redactString } from './redact.js';

export interface LoggerOptions {
  level: string;
  /** Extra key names to treat as secrets. */
  secretKeys?: string[];
  /** Where lines go (tests capture them); default stdout. */
  destination?: DestinationStream;
  base?: Record<string, unknown>;
}

/** JSON lines; secrets removed by key anywhere in a line and JWT-looking strings masked, whatever the caller passed. */
export function createLogger(options: LoggerOptions): Logger {
  const redactor = createRedactor(options.secretKeys);
  return pino(
    {
      level: options.level,
      base: options.base ?? { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        log: (object) => redactor.redact(object),
      },
      serializers: {
        err: (error: Error) => {
          const serialized = pino.stdSerializers.err(error);
          serialized.message = redactString(serialized.message ?? '');
          if (serialized.stack) serialized.stack = redactString(serialized.stack);
          return serialized;
        },
        req: (request: { method?: string; url?: string; id?: string; ip?: string }) => ({
          method: request.method,
          url: request.url ? redactString(request.url) : request.url,
          ip: request.ip,
        }),
      },
      hooks: {
        // Messages are strings the formatter above does not see.
        logMethod(args, method) {
          const redacted = args.map((arg) => (typeof arg === 'string' ? redactString(arg) : arg));
          return method.apply(this, redacted as Parameters<typeof method>);
        },
      },
    },
    options.destination ?? pino.destination({ sync: false }),
  );
}

export type { Logger } from 'pino';
