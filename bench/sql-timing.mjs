/**
 * Preloaded into the edition under test by `bench/ingest.ts --sql-timing`: times every SQLite
 * statement (better-sqlite3 runs them synchronously, so wall time is the statement's cost) and counts
 * every PostgreSQL query, then prints the busiest ones to stderr when the process exits.
 */
import SQLite from 'better-sqlite3';
import pg from 'pg';

const stats = new Map();
const record = (text, ms) => {
  const key = text.replace(/\s+/g, ' ').trim().slice(0, 90);
  const entry = stats.get(key) ?? { count: 0, ms: 0 };
  entry.count += 1;
  entry.ms += ms;
  stats.set(key, entry);
};

const probe = new SQLite(':memory:');
const statementPrototype = Object.getPrototypeOf(probe.prepare('SELECT 1'));
probe.close();
for (const name of ['run', 'all', 'get']) {
  const original = statementPrototype[name];
  statementPrototype[name] = function timed(...args) {
    const started = performance.now();
    try {
      return original.apply(this, args);
    } finally {
      record(this.source, performance.now() - started);
    }
  };
}

const query = pg.Client.prototype.query;
pg.Client.prototype.query = function counted(config, ...rest) {
  record(typeof config === 'string' ? config : (config?.text ?? ''), 0);
  return query.call(this, config, ...rest);
};

process.on('exit', () => {
  const rows = [...stats].sort((a, b) => b[1].ms - a[1].ms || b[1].count - a[1].count).slice(0, 20);
  process.stderr.write('statements (total ms, count, µs each; PostgreSQL: counts only)\n');
  for (const [text, { count, ms }] of rows) {
    process.stderr.write(
      `${ms.toFixed(0).padStart(7)} ms ${String(count).padStart(8)} × ${((ms * 1000) / count).toFixed(1).padStart(7)} µs  ${text}\n`,
    );
  }
});
