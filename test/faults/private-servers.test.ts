/** The private servers the fault tests kill and restart: a crash and a restart keep the data, Redis comes back on its port. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import pg from 'pg';
import { describeWithPrivateServers, startPrivatePostgres, startPrivateRedis } from './support/private-servers.js';
import type { PrivatePostgres, PrivateRedis } from './support/private-servers.js';

describeWithPrivateServers('private servers for fault tests', () => {
  let postgres: PrivatePostgres;
  let redis: PrivateRedis;
  beforeAll(async () => {
    [postgres, redis] = await Promise.all([startPrivatePostgres(), startPrivateRedis()]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([postgres?.destroy(), redis?.destroy()]);
  });

  it('a cluster survives kill and restart with its data', async () => {
    const url = await postgres.createDatabase('keep');
    const client = new pg.Client(url);
    client.on('error', () => undefined);
    await client.connect();
    await client.query('CREATE TABLE t (v int); INSERT INTO t VALUES (7)');
    await client.end();
    await postgres.kill();
    expect(postgres.running()).toBe(false);
    await postgres.start();
    const again = new pg.Client(url);
    again.on('error', () => undefined);
    await again.connect();
    expect((await again.query('SELECT v FROM t')).rows).toEqual([{ v: 7 }]);
    await again.end();
    await redis.kill();
    await redis.start();
    expect(redis.running()).toBe(true);
  }, 60_000);
});
