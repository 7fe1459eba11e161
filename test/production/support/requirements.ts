/**
 * Production tests need PostgreSQL and Redis together. Same rule as the other helpers: on a laptop
 * without them the block is skipped with a notice; under CI (CI=true) it fails, never skips.
 */
import { describe, it } from 'vitest';
import { pgAvailable, postgresAdminUrl } from '../../helpers/databases.js';
import { redisAvailable, redisUrl } from '../../helpers/redis.js';

const missing = [
  ...(!(await pgAvailable()) ? [`PostgreSQL (${postgresAdminUrl})`] : []),
  ...(!(await redisAvailable()) ? [`Redis (${redisUrl})`] : []),
];

export function describeOnPostgresAndRedis(name: string, fn: () => void): void {
  if (missing.length === 0) {
    describe(name, fn);
    return;
  }
  if (process.env.CI === 'true') {
    describe(name, () => {
      it('needs PostgreSQL and Redis', () => {
        throw new Error(`required under CI but unreachable: ${missing.join(', ')}`);
      });
    });
    return;
  }
  console.warn(`[tests] skipping "${name}": unreachable ${missing.join(', ')} (this fails under CI=true).`);
  describe.skip(name, fn);
}
