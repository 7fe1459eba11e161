/**
 * The deployment files cannot be built or run here (no container engine), so what can be checked
 * without one is: the compose file parses, every edition service's environment is one the product
 * accepts in production, and the Dockerfile refers to scripts, paths and ports that exist.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { allVariables } from '../../src/config/variables.js';
import { EDITIONS } from '../../src/editions/index.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

interface ComposeService {
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
}
const compose = parse(read('deploy/compose.yaml'), { merge: true }) as { services: Record<string, ComposeService> };
const dockerfile = read('Dockerfile');

/** Compose's `${NAME:?message}` / `${NAME:-default}` / `${NAME}` filled in as an operator's .env would. */
function interpolate(value: string, env: Record<string, string>): string {
  return value.replace(/\$\{([A-Z_]+)(?::[?-][^}]*)?\}/g, (_, name: string) => env[name] ?? '');
}

const operatorEnv = {
  ADDON_ENCRYPTION_KEY: 'ab'.repeat(32),
  POSTGRES_PASSWORD: 'secret',
  API_STUDIO_BASE_URL: 'https://api-studio.example.com',
  UNIVERSAL_WEBHOOK_BASE_URL: 'https://uw.example.com',
  CLOCKIFY_ADDON_BASE_URL: 'https://addon.example.com',
};

describe('deploy/compose.yaml', () => {
  it('runs each edition as its own service with a production configuration the product accepts', () => {
    const known = new Set([...allVariables().map((variable) => variable.name), 'HEALTHCHECK_PORTS']);
    for (const edition of EDITIONS) {
      const service = compose.services[edition.id];
      expect(service, edition.id).toBeDefined();
      expect(service!.command).toEqual(['node', 'dist/src/main.js', 'start', '--edition', edition.id]);
      const env = Object.fromEntries(
        Object.entries(service!.environment ?? {}).map(([name, value]) => [name, interpolate(String(value), operatorEnv)]),
      );
      // A misspelt variable would be silently ignored by the product: every name must be one it reads.
      expect(Object.keys(env).filter((name) => !known.has(name))).toEqual([]);
      const config = loadConfig(env, { dotenvPath: false });
      const own = config.editions[edition.id];
      expect(config.env).toBe('production');
      expect(config.redisUrl).toBe('redis://redis:6379');
      expect(own.databaseUrl).toMatch(/^postgres:\/\/addons:secret@postgres:5432\/[a-z_]+$/);
      expect(own.baseUrl).toMatch(/^https:\/\//);
      // The health check probes the port the edition listens on, which the host publishes.
      expect(env.HEALTHCHECK_PORTS).toBe(String(own.port));
      expect(service!.ports).toEqual([`127.0.0.1:${own.port}:${own.port}`]);
    }
  });

  it('gives every edition its own database, created by the init script', () => {
    const databases = EDITIONS.map(
      (edition) => /\/([a-z_]+)$/.exec(String(compose.services[edition.id]!.environment![edition.dbUrlEnv]))?.[1],
    );
    expect(new Set(databases).size).toBe(EDITIONS.length);
    const init = read('deploy/postgres-init.sql');
    for (const name of databases) expect(init).toContain(`CREATE DATABASE ${name} `);
  });

  it('has Prometheus scrape each edition on the port it listens on', () => {
    const prometheus = parse(read('deploy/prometheus.yml')) as {
      scrape_configs: { job_name: string; metrics_path: string; dns_sd_configs: { names: string[]; port: number }[] }[];
    };
    for (const edition of EDITIONS) {
      const job = prometheus.scrape_configs.find((entry) => entry.job_name === edition.id);
      expect(job?.metrics_path).toBe('/metrics');
      expect(job?.dns_sd_configs[0]).toMatchObject({ names: [edition.id], port: edition.defaultPort });
    }
  });
});

describe('Dockerfile', () => {
  const packageJson = JSON.parse(read('package.json')) as { scripts: Record<string, string> };

  it('builds in one stage and runs as a non-root user from the same slim Node 20 base', () => {
    const stages = [...dockerfile.matchAll(/^FROM (\S+) AS (\w+)/gm)].map((match) => [match[1], match[2]]);
    expect(stages).toEqual([
      ['node:20-bookworm-slim', 'build'],
      ['node:20-bookworm-slim', 'runtime'],
    ]);
    const runtime = dockerfile.slice(dockerfile.indexOf('AS runtime'));
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).not.toMatch(/npm (ci|install)/);
    expect(runtime).toMatch(/^HEALTHCHECK .*deploy\/healthcheck\.mjs/m);
    expect(runtime).toContain('CMD ["node", "dist/src/main.js", "start"]');
  });

  it('uses scripts and paths that exist in this repository', () => {
    for (const script of dockerfile.matchAll(/npm run (\S+)/g)) expect(packageJson.scripts[script[1]!], script[1]).toBeDefined();
    expect(packageJson.scripts.build).toContain('tsconfig.build.json');
    for (const copy of dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)) {
      for (const source of copy[1]!.split(/\s+/)) expect(existsSync(join(ROOT, source)), source).toBe(true);
    }
    // tsc emits src/main.ts to dist/src/main.js (rootDir "." and outDir "dist").
    const build = JSON.parse(read('tsconfig.build.json')) as { compilerOptions: { rootDir: string; outDir: string } };
    expect(build.compilerOptions).toMatchObject({ rootDir: '.', outDir: 'dist' });
    const exposed = /^EXPOSE (.+)$/m.exec(dockerfile)![1]!.split(' ').map(Number);
    expect(exposed).toEqual(EDITIONS.map((edition) => edition.defaultPort));
  });

  it('keeps the build context small and free of local secrets', () => {
    const ignored = read('.dockerignore').split('\n');
    for (const entry of ['.env', '**/node_modules', 'dist', 'data', '.git']) expect(ignored).toContain(entry);
  });
});
