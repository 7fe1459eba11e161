import { existsSync } from 'node:fs';
/**
 * An isolated A/B of the ingest commit between two checkouts of this repository (issue 20: the commit
 * moved behind IngestCommit and must not get slower). Each side opens its own database with its own
 * code (openDatabase, JobQueue, EventStore from that checkout's src/), and the two take turns storing
 * the same kind of webhooks, round after round, so a machine that slows down or speeds up (other
 * work on it) weighs on both alike. Reports, per side, the median over rounds of this process's CPU
 * per webhook and wall time per webhook.
 *
 *   npx tsx bench/commit-ab.ts --other ../before-checkout [--dialect sqlite,postgres] [--rounds 40] [--batch 25] [--commits 8]
 *
 * "this" is the checkout this file is in. One round: `commits` group commits one after the other,
 * each of `batch` webhooks stored in the same tick (as a burst arrives), all needing processing (one
 * job per commit). PostgreSQL's own CPU is not in the CPU column (another process); wall time has it.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, createPostgresDatabase, median, postgresProblem, round } from './common.js';

type Dialect = 'sqlite' | 'postgres';

interface Side {
  name: string;
  store(event: unknown): Promise<unknown>;
  close(): Promise<void>;
}

const SAMPLES = JSON.parse(readFileSync(join(ROOT, 'resources', 'clockify', 'webhook-samples.json'), 'utf8'));
const SAMPLE = (SAMPLES as Record<string, Record<string, unknown>>).NEW_TIME_ENTRY!;

let serial = 0;
function webhook(workspaceId: string) {
  serial += 1;
  const payload = { ...SAMPLE, id: `bench${serial.toString(16).padStart(19, '0')}`, workspaceId };
  const headers = { 'content-type': 'application/json' };
  return { workspaceId, source: 'clockify', eventType: 'NEW_TIME_ENTRY', payload, payloadText: JSON.stringify(payload), headers };
}

async function openSide(name: string, root: string, url: string): Promise<Side> {
  const load = (path: string) => import(pathToFileURL(join(root, path)).href);
  // Since rooms own their migrations, src/database.ts opens a migrated database; older checkouts had it in storage/.
  const { openDatabase } = existsSync(join(root, 'src/database.ts'))
    ? await load('src/database.ts')
    : await load('src/storage/database.ts');
  const { JobQueue } = await load('src/jobs/queue.ts');
  const { EventStore } = await load('src/ingest/event-store.ts');
  const database = await openDatabase(url);
  const queue = new JobQueue(database, { leaseMs: 30_000, maxAttempts: 5, waitingWorkspaces: () => 'FALSE' });
  const store = new EventStore(database, queue, { dedupWindowMs: 24 * 3600_000, now: Date.now });
  return { name, store: (event) => store.store(event), close: () => database.close() };
}

async function measureRound(side: Side, batch: number, commits: number): Promise<{ cpuMicros: number; wallMicros: number }> {
  const cpuBefore = process.cpuUsage();
  const wallBefore = process.hrtime.bigint();
  for (let commit = 0; commit < commits; commit += 1) {
    const events = Array.from({ length: batch }, (_, index) => webhook(`ws${index % 3}`));
    await Promise.all(events.map((event) => side.store(event)));
  }
  const cpu = process.cpuUsage(cpuBefore);
  const events = batch * commits;
  return { cpuMicros: (cpu.user + cpu.system) / events, wallMicros: Number(process.hrtime.bigint() - wallBefore) / 1000 / events };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const option = (name: string, fallback: string) => {
    const index = args.indexOf(`--${name}`);
    return index >= 0 ? (args[index + 1] ?? fallback) : fallback;
  };
  const other = option('other', '');
  if (!other) throw new Error('--other <path of the other checkout> is required');
  const dialects = option('dialect', 'sqlite,postgres').split(',') as Dialect[];
  const rounds = Number(option('rounds', '40'));
  const batch = Number(option('batch', '25'));
  const commits = Number(option('commits', '8'));
  const roots = { this: ROOT, other: resolve(other) };
  console.log(`machine: ${cpus().length} × ${cpus()[0]?.model.trim()}, load average ${loadavg()[0]!.toFixed(2)} at start`);
  console.log(`this: ${roots.this}\nother: ${roots.other}\n${rounds} rounds per side, ${commits} commits of ${batch} webhooks each`);
  for (const dialect of dialects) {
    if (dialect === 'postgres' && (await postgresProblem())) {
      console.log('postgres: skipped (the server does not answer)');
      continue;
    }
    const cleanups: (() => Promise<void>)[] = [];
    const sides: Side[] = [];
    for (const [name, root] of Object.entries(roots)) {
      let url: string;
      if (dialect === 'sqlite') {
        const dir = mkdtempSync(join(tmpdir(), 'commit-ab-'));
        url = `sqlite:${join(dir, 'bench.db')}`;
        cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
      } else {
        const created = await createPostgresDatabase('commit_ab');
        url = created.url;
        cleanups.push(created.drop);
      }
      const side = await openSide(name, root, url);
      sides.push(side);
      cleanups.unshift(side.close);
    }
    // Warm-up: JIT, prepared statements, page cache.
    for (const side of sides) for (let index = 0; index < 3; index += 1) await measureRound(side, batch, commits);
    const samples = new Map<string, { cpu: number[]; wall: number[] }>(sides.map((side) => [side.name, { cpu: [], wall: [] }]));
    for (let index = 0; index < rounds; index += 1) {
      // ABBA: neither side always goes first.
      const order = index % 2 === 0 ? sides : [...sides].reverse();
      for (const side of order) {
        const result = await measureRound(side, batch, commits);
        samples.get(side.name)!.cpu.push(result.cpuMicros);
        samples.get(side.name)!.wall.push(result.wallMicros);
      }
    }
    for (const [name, { cpu, wall }] of samples) {
      const sorted = [...cpu].sort((a, b) => a - b);
      const quartiles = `${round(sorted[Math.floor(sorted.length / 4)]!, 1)}–${round(sorted[Math.floor((3 * sorted.length) / 4)]!, 1)}`;
      const [cpuMedian, wallMedian] = [round(median(cpu), 1), round(median(wall), 1)];
      console.log(`${dialect} ${name}: CPU µs/webhook median ${cpuMedian} (quartiles ${quartiles}), wall µs/webhook median ${wallMedian}`);
    }
    for (const cleanup of cleanups) await cleanup();
  }
  console.log(`load average ${loadavg()[0]!.toFixed(2)} at the end`);
}

await main();
