/**
 * A real product logger (same redaction as production) writing to memory, so tests can read what
 * was logged and assert that no secret ever appears in it.
 *
 *   const logs = captureLogger();
 *   … run code with logs.logger …
 *   expect(logs.text()).not.toContain(token);
 *   expect(logs.lines().some((line) => line.msg === 'job failed')).toBe(true);
 */
import { createLogger } from '../../src/observability/logger.js';
import type { Logger } from '../../src/observability/logger.js';

export interface CapturedLogs {
  logger: Logger;
  /** Every line logged so far, parsed. */
  lines(): Record<string, unknown>[];
  /** Every line logged so far, raw JSON lines joined by newlines (for `not.toContain(secret)`). */
  text(): string;
}

export function captureLogger(level = 'trace'): CapturedLogs {
  const chunks: string[] = [];
  const logger = createLogger({ level, destination: { write: (line: string) => void chunks.push(line) } });
  return {
    logger,
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    text: () => chunks.join(''),
  };
}
