import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderEnvExample } from '../../src/cli/env-example.js';
import { ConfigError, loadConfig } from '../../src/config/index.js';
import { projectRoot } from '../../src/resources.js';
import { TEST_ENCRYPTION_KEY, tempDir } from '../helpers/config.js';

/** Loads from exactly these variables: no process environment, no .env file. */
const load = (env: Record<string, string> = {}) => loadConfig(env, { dotenvPath: false });

/** The ConfigError `env` produces (fails the test when it loads fine). */
function configError(env: Record<string, string>): ConfigError {
  try {
    load(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`expected a ConfigError for ${JSON.stringify(env)}`);
}

describe('configuration defaults', () => {
  it('gives every edition a working local setup with no variables at all', () => {
    const config = load();
    expect(config.env).toBe('development');
    expect(config.logLevel).toBe('info');
    expect(config.requireSignatureVerification).toBe(true);
    expect(config.encryptionKey).toBeUndefined();
    expect(config.rateLimit).toEqual({ perSecond: 50, backgroundPerSecond: 25 });
    expect(config.jobs).toEqual({ concurrency: 8, leaseSeconds: 30, maxAttempts: 5 });
    expect(config.clockify.apiBaseUrl).toBe('https://api.clockify.me/api');
    expect(config.clockify.publicKeySource).toBe('bundled');
    expect(config.clockify.publicKeyPem).toContain('BEGIN PUBLIC KEY');

    const dataDir = resolve('./data');
    expect(config.dataDir).toBe(dataDir);
    const expected = {
      'api-studio': { port: 8000, key: 'clockify-api-studio', db: 'api_studio.db' },
      'universal-webhook': { port: 8001, key: 'clockify-universal-webhook', db: 'universal_webhook.db' },
      'clockify-addon': { port: 8002, key: 'clockify-addon', db: 'clockify_addon.db' },
    } as const;
    for (const [id, want] of Object.entries(expected)) {
      const edition = config.editions[id as keyof typeof expected];
      expect(edition.port).toBe(want.port);
      expect(edition.key).toBe(want.key);
      expect(edition.baseUrl).toBe(`http://localhost:${want.port}`);
      expect(edition.databaseUrl).toBe(`sqlite:${join(dataDir, want.db)}`);
    }
    expect(config.editions['api-studio'].settingDefaults.max_rps).toBe(25);
  });

  it('parses the values it is given', () => {
    const config = load({
      API_STUDIO_PORT: '9100',
      API_STUDIO_BASE_URL: 'https://studio.example.com/',
      DATABASE_URL: 'postgres://app@db.internal/addon',
      RATE_LIMIT_RPS: '40',
      TRUST_PROXY: 'yes',
      ADDON_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
      API_STUDIO_MAX_RPS: '10',
      UW_INCLUDE_HEAVY: 'false',
      CLOCKIFY_ALLOWED_HOSTS: 'localhost:9999, sandbox.local',
    });
    expect(config.editions['api-studio'].port).toBe(9100);
    // A trailing slash would produce `//lifecycle/...` paths in the manifest.
    expect(config.editions['api-studio'].baseUrl).toBe('https://studio.example.com');
    expect(config.editions['clockify-addon'].databaseUrl).toBe('postgres://app@db.internal/addon');
    expect(config.rateLimit.perSecond).toBe(40);
    expect(config.trustProxy).toBe(true);
    expect(config.encryptionKey?.toString('hex')).toBe(TEST_ENCRYPTION_KEY);
    expect(config.editions['api-studio'].settingDefaults.max_rps).toBe(10);
    expect(config.editions['universal-webhook'].settingDefaults.include_heavy).toBe(false);
    expect(config.clockify.allowedHosts).toEqual(['localhost:9999', 'sandbox.local']);
  });
});

describe('configuration errors', () => {
  const badValues: { name: string; value: string; expects: string }[] = [
    { name: 'API_STUDIO_PORT', value: 'eighty', expects: 'a port 0..65535' },
    { name: 'UW_PORT', value: '70000', expects: 'a port 0..65535' },
    { name: 'REQUIRE_SIGNATURE_VERIFICATION', value: 'maybe', expects: 'true | false' },
    { name: 'CLOCKIFY_API_BASE_URL', value: 'ftp://api.clockify.me', expects: 'an http(s) URL' },
    { name: 'API_STUDIO_BASE_URL', value: 'not a url', expects: 'an http(s) URL' },
    { name: 'DATABASE_URL', value: 'mysql://db/addon', expects: 'postgres://user@host/db or sqlite:path' },
    { name: 'ADDON_ENCRYPTION_KEY', value: 'abcd', expects: '32 bytes' },
    { name: 'RATE_LIMIT_RPS', value: '0', expects: 'a number 1..1000' },
    { name: 'API_STUDIO_MAX_RPS', value: '500', expects: 'a number 1..50' },
    { name: 'NODE_ENV', value: 'staging', expects: 'development | production | test' },
    { name: 'HTTP_REQUEST_TIMEOUT_SECONDS', value: '0', expects: 'seconds, 1..600' },
  ];

  it.each(badValues)('names $name and what it expects', ({ name, value, expects }) => {
    const error = configError({ [name]: value });
    expect(error.problems.map((problem) => problem.name)).toEqual([name]);
    expect(error.problems[0]?.message).toContain(expects);
    expect(error.message).toContain(name);
  });

  it('names every bad variable in one error instead of stopping at the first', () => {
    const error = configError({ API_STUDIO_PORT: 'x', RATE_LIMIT_RPS: '-3', DATABASE_URL: 'oracle://x', TRUST_PROXY: 'perhaps' });
    expect(error.problems.map((problem) => problem.name).sort()).toEqual([
      'API_STUDIO_PORT',
      'DATABASE_URL',
      'RATE_LIMIT_RPS',
      'TRUST_PROXY',
    ]);
    for (const name of ['API_STUDIO_PORT', 'DATABASE_URL', 'RATE_LIMIT_RPS', 'TRUST_PROXY']) expect(error.message).toContain(name);
  });

  it('refuses production without ADDON_ENCRYPTION_KEY, and accepts it with one', () => {
    const error = configError({ NODE_ENV: 'production' });
    expect(error.problems).toEqual([
      expect.objectContaining({ name: 'ADDON_ENCRYPTION_KEY', message: expect.stringContaining('production') }),
    ]);
    expect(load({ NODE_ENV: 'production', ADDON_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY }).env).toBe('production');
  });

  it('lets RATE_LIMIT_RPS be lowered alone, but refuses a background budget above it', () => {
    expect(load({ RATE_LIMIT_RPS: '10' }).rateLimit).toEqual({ perSecond: 10, backgroundPerSecond: 10 });
    const error = configError({ RATE_LIMIT_RPS: '20', BOOTSTRAP_RATE_LIMIT_RPS: '30' });
    expect(error.problems).toEqual([
      expect.objectContaining({ name: 'BOOTSTRAP_RATE_LIMIT_RPS', message: expect.stringContaining('RATE_LIMIT_RPS (20)') }),
    ]);
  });

  it('refuses production with signature verification turned off', () => {
    const error = configError({
      NODE_ENV: 'production',
      ADDON_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
      REQUIRE_SIGNATURE_VERIFICATION: 'false',
    });
    expect(error.problems.map((problem) => problem.name)).toEqual(['REQUIRE_SIGNATURE_VERIFICATION']);
  });

  it('never echoes the value of a malformed secret, but does echo ordinary values', () => {
    const secret = 'hunter2-is-not-a-key-' + 'q'.repeat(20);
    const error = configError({ ADDON_ENCRYPTION_KEY: secret, RATE_LIMIT_RPS: 'lots' });
    expect(error.message).toContain('ADDON_ENCRYPTION_KEY');
    expect(error.message).not.toContain(secret);
    expect(error.message).not.toContain('hunter2');
    expect(error.message).toContain('"lots"');
  });
});

describe('.env file', () => {
  it('is read, and the process environment wins over it', () => {
    const dir = tempDir();
    const file = join(dir, '.env');
    writeFileSync(file, 'API_STUDIO_PORT=9300\nRATE_LIMIT_RPS=10\n');
    const config = loadConfig({ RATE_LIMIT_RPS: '20' }, { dotenvPath: file });
    expect(config.editions['api-studio'].port).toBe(9300);
    expect(config.rateLimit.perSecond).toBe(20);
  });

  it('has its values validated like any other', () => {
    const dir = tempDir();
    const file = join(dir, '.env');
    writeFileSync(file, 'UW_PORT=not-a-port\n');
    expect(() => loadConfig({}, { dotenvPath: file })).toThrow(/UW_PORT/);
  });
});

describe('.env.example', () => {
  it('at the repository root is exactly what `cap env-example` prints', () => {
    const path = join(projectRoot, '.env.example');
    expect(existsSync(path), 'regenerate it: npm run cli -- env-example > .env.example').toBe(true);
    expect(readFileSync(path, 'utf8')).toBe(renderEnvExample());
  });

  it('documents every variable the loader reads', () => {
    const text = renderEnvExample();
    for (const name of [
      'NODE_ENV',
      'ADDON_ENCRYPTION_KEY',
      'RATE_LIMIT_RPS',
      'API_STUDIO_DB_URL',
      'UNIVERSAL_WEBHOOK_DB_URL',
      'DATABASE_URL',
      'API_STUDIO_MAX_RPS',
      'UW_ENABLE_HTTP_ACTIONS',
      'CLOCKIFY_ADDON_FORWARDING_URL',
    ]) {
      expect(text).toMatch(new RegExp(`^# ${name}=`, 'm'));
    }
  });
});

describe('CLI with a bad variable', () => {
  const tsx = join(projectRoot, 'node_modules', '.bin', 'tsx');
  const mainTs = join(projectRoot, 'src', 'main.ts');

  /** Runs `tsx src/main.ts migrate` in an empty folder with only the given variables beyond PATH/HOME. */
  function migrate(env: Record<string, string>) {
    const cwd = tempDir();
    const result = spawnSync(tsx, [mainTs, 'migrate', '--edition', 'api-studio'], {
      cwd,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? cwd, DATA_DIR: join(cwd, 'data'), ...env },
      encoding: 'utf8',
      timeout: 30_000,
    });
    const created = existsSync(join(cwd, 'data')) ? readdirSync(join(cwd, 'data')) : [];
    return { ...result, created };
  }

  it('exits non-zero naming the variable, and opens no database', () => {
    const result = migrate({ API_STUDIO_PORT: 'eighty', LOG_LEVEL: 'silent' });
    expect(result.status).not.toBe(0);
    expect(result.status).not.toBeNull();
    expect(result.stderr).toContain('API_STUDIO_PORT');
    expect(result.stderr).toContain('a port 0..65535');
    expect(result.created).toEqual([]);
  });

  it('with valid variables migrates and creates the database (the check above can see one)', () => {
    const result = migrate({ LOG_LEVEL: 'silent' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.created).toContain('api_studio.db');
  });
});
