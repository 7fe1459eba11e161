import { existsSync } from 'node:fs';
import { Redis } from 'ioredis';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/database.js';
import { testConfig } from './config.js';
import { createTestDatabaseUrl, describeEachDialect, postgresAdminUrl } from './databases.js';
import { captureLogger } from './logs.js';
import { describeWithRedis, flushPrefix, redisUrl, requireRedis } from './redis.js';

describeEachDialect('createTestDatabaseUrl', (dialect) => {
  it('gives a usable database that drop() removes', async () => {
    const target = await createTestDatabaseUrl(dialect);
    const database = await openDatabase(target.url);
    await database.db.insertInto('locks').values({ name: 'x', holder: 'h', expires_at: 1 }).execute();
    await database.close();
    await target.drop();
    if (dialect === 'sqlite') {
      expect(existsSync(target.url.replace(/^sqlite:/, ''))).toBe(false);
    } else {
      const client = new pg.Client({ connectionString: postgresAdminUrl });
      await client.connect();
      const name = new URL(target.url).pathname.slice(1);
      const rows = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      await client.end();
      expect(rows.rowCount).toBe(0);
    }
  });
});

describe('testConfig', () => {
  it('is a valid test configuration that takes overrides', () => {
    const config = testConfig({ RATE_LIMIT_RPS: '7' });
    expect(config.env).toBe('test');
    expect(config.logLevel).toBe('silent');
    expect(config.encryptionKey).toHaveLength(32);
    expect(config.rateLimit.perSecond).toBe(7);
    expect(testConfig().dataDir).not.toBe(config.dataDir);
  });
});

describe('captureLogger', () => {
  it('captures parsed lines with the product redaction applied', () => {
    const logs = captureLogger();
    logs.logger.info({ authToken: 'secret-value', workspaceId: 'ws-1' }, 'hello');
    expect(logs.lines()).toEqual([expect.objectContaining({ msg: 'hello', workspaceId: 'ws-1', authToken: '[REDACTED]' })]);
    expect(logs.text()).not.toContain('secret-value');
  });
});

describeWithRedis('flushPrefix', () => {
  it('deletes the keys under its prefix and no others', async () => {
    const client = new Redis(redisUrl);
    const prefix = `test:${process.pid}:${Date.now()}:`;
    try {
      await client.set(`${prefix}a`, '1');
      await client.set(`${prefix}b`, '2');
      await client.set(`${prefix.slice(0, -1)}-other`, '3');
      expect(await flushPrefix(prefix)).toBe(2);
      expect(await client.exists(`${prefix}a`, `${prefix}b`)).toBe(0);
      expect(await client.get(`${prefix.slice(0, -1)}-other`)).toBe('3');
    } finally {
      await client.del(`${prefix.slice(0, -1)}-other`);
      client.disconnect();
    }
  });
});

describe('requireRedis', () => {
  it('returns only when Redis answers', async (context) => {
    await requireRedis(context);
    const client = new Redis(redisUrl);
    try {
      expect(await client.ping()).toBe('PONG');
    } finally {
      client.disconnect();
    }
  });
});
