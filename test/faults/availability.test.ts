/**
 * Which errors mean "the database is unavailable" (answer 503, fail /ready, retry later) and which
 * do not (a bug or bad input stays a 500 or 4xx), and the window and payload rules of reconciliation.
 */
import { describe, expect, it } from 'vitest';
import { StorageHealth, storageUnavailableReason } from '../../src/storage/availability.js';
import { DELIVERY_LOG_RETENTION_MS, OVERLAP_MS, payloadOf, readWindow } from '../../src/reconcile/reconciler.js';

const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('storageUnavailableReason', () => {
  it.each([
    ['connection refused', withCode('ECONNREFUSED')],
    ['connection reset', withCode('ECONNRESET')],
    ['session terminated (pg_terminate_backend)', withCode('57P01', 'terminating connection due to administrator command')],
    ['server starting up', withCode('57P03', 'the database system is starting up')],
    ['too many connections', withCode('53300')],
    ['read-only transaction after a failover', withCode('25006')],
    ['connection exception class', withCode('08006')],
    ['node-postgres: connection ended', new Error('Connection terminated unexpectedly')],
    ['node-postgres: connect timeout', new Error('timeout exceeded when trying to connect')],
    ['SQLite disk full', withCode('SQLITE_FULL', 'database or disk is full')],
    ['SQLite read-only', withCode('SQLITE_READONLY', 'attempt to write a readonly database')],
    ['SQLite I/O error', withCode('SQLITE_IOERR_WRITE')],
    ['all addresses refused', Object.assign(new AggregateError([withCode('ECONNREFUSED')]), {})],
  ])('%s is unavailability', (_name, error) => {
    expect(storageUnavailableReason(error)).toBeTruthy();
  });

  it.each([
    ['a constraint violation', withCode('23505', 'duplicate key value')],
    ['a syntax error', withCode('42601')],
    ['SQLite constraint', withCode('SQLITE_CONSTRAINT_UNIQUE')],
    ['a plain bug', new TypeError('x is undefined')],
    ['not an error', 'text'],
    ['nothing', undefined],
  ])('%s is not', (_name, error) => {
    expect(storageUnavailableReason(error)).toBeUndefined();
  });
});

describe('StorageHealth', () => {
  it('fails once, probes until the database answers, then tells who listens', async () => {
    let up = false;
    const health = new StorageHealth(
      async () => {
        if (!up) throw withCode('ECONNREFUSED');
      },
      { probeIntervalMs: 10 },
    );
    const failed: string[] = [];
    const recovered: string[] = [];
    health.onFailed((reason) => failed.push(reason));
    health.onRecovered((outage) => recovered.push(outage.reason));
    health.noteFailure('ECONNREFUSED: down');
    health.noteFailure('again');
    expect(failed).toEqual(['ECONNREFUSED: down']);
    expect(await health.check()).toBe(false);
    expect(health.current.ok).toBe(false);
    up = true;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(health.current.ok).toBe(true);
    expect(recovered).toHaveLength(1);
    health.stop();
  });
});

describe('reconciliation window and payloads', () => {
  const now = Date.UTC(2026, 5, 10);
  it('starts a little before the last run, or the install, and never beyond the 7 days Clockify keeps', () => {
    expect(readWindow({ now, lastReconciledAt: now - 3600_000, installedAt: 0 })).toEqual({ from: now - 3600_000 - OVERLAP_MS, to: now });
    expect(readWindow({ now, lastReconciledAt: null, installedAt: now - 60_000 }).from).toBe(now - 60_000 - OVERLAP_MS);
    expect(readWindow({ now, lastReconciledAt: null, installedAt: now - 30 * 24 * 3600_000 }).from).toBeGreaterThan(
      now - DELIVERY_LOG_RETENTION_MS,
    );
  });

  it('takes JSON objects of the workspace only', () => {
    expect(payloadOf({ requestBody: '{"id":"p1","workspaceId":"w1"}' }, 'w1')).toMatchObject({ payload: { id: 'p1' } });
    expect(payloadOf({ requestBody: '{"id":"p1"}' }, 'w1')).toBeDefined();
    expect(payloadOf({ requestBody: '{"id":"p1","workspaceId":"other"}' }, 'w1')).toBeUndefined();
    expect(payloadOf({ requestBody: 'not json' }, 'w1')).toBeUndefined();
    expect(payloadOf({ requestBody: '42' }, 'w1')).toBeUndefined();
    expect(payloadOf({}, 'w1')).toBeUndefined();
  });
});
