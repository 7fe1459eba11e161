/**
 * A Python deployment moved over as it is: every edition started with the Python system's own
 * .env.example values (test/fixtures/python/env.example; Redis off, SQLAlchemy database URLs), then
 * its published identity, its metric names, its HTTP request shapes, its flow definitions and its
 * custom webhooks checked against the running editions over real HTTP, on both databases.
 */
import { readFileSync } from 'node:fs';
import type { Ajv } from 'ajv';
import ajvDraft04Module from 'ajv-draft-04';
import addFormatsModule from 'ajv-formats';
import { parse as parseDotenv } from 'dotenv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logConfigWarnings } from '../../src/cli/start.js';
import { loadConfig } from '../../src/config/index.js';
import type { EditionId } from '../../src/editions/types.js';
import { projectRoot, readResourceJson } from '../../src/resources.js';
import { TEST_ENCRYPTION_KEY, tempDir } from '../helpers/config.js';
import { createTestDatabaseUrl, describeEachDialect } from '../helpers/databases.js';
import { captureLogger } from '../helpers/logs.js';
import type { TestDatabase } from '../helpers/databases.js';
import { eventually, startStack } from '../helpers/stack.js';
import type { Stack } from '../helpers/stack.js';

const AjvDraft04 = ((ajvDraft04Module as unknown as { default?: unknown }).default ?? ajvDraft04Module) as typeof Ajv;
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;

/** The Python system's .env.example, as its operators copy it to .env. */
const PYTHON_ENV: Record<string, string> = parseDotenv(readFileSync(`${projectRoot}/test/fixtures/python/env.example`));

const EDITIONS: EditionId[] = ['api-studio', 'universal-webhook', 'clockify-addon'];
/** Its keys and names: the published identity that must not change. */
const PYTHON_IDENTITY: Record<EditionId, { key: string; name: string }> = {
  'api-studio': { key: 'clockify-api-studio', name: 'API Studio' },
  'universal-webhook': { key: 'universal-webhook-api', name: 'Universal Webhook' },
  'clockify-addon': { key: 'clockify-python-addon', name: 'Clockify Python Add-on' },
};
const PYTHON_METRICS = [
  'addon_uptime_seconds',
  'webhooks_received_total',
  'flows_executed_total',
  'api_calls_total',
  'bootstrap_completed',
  'bootstrap_errors',
];

const load = (env: Record<string, string>) =>
  loadConfig({ ...env, DATA_DIR: tempDir(), ADDON_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY }, { dotenvPath: false });

describe("the Python system's .env", () => {
  const config = load(PYTHON_ENV);

  it('starts every edition under its keys, names, vendor and database URLs', () => {
    for (const id of EDITIONS) {
      expect(config.editions[id].key).toBe(PYTHON_IDENTITY[id].key);
      expect(config.editions[id].edition.name).toBe(PYTHON_IDENTITY[id].name);
    }
    const addon = config.editions['clockify-addon'];
    expect(addon.vendor).toEqual({ name: 'Example Vendor', url: 'https://vendor.example.com' });
    expect(addon.edition.description).toBe('Production reference implementation of a Clockify add-on');
    expect(addon.port).toBe(8002);
    // SQLAlchemy URLs: three slashes are relative to the working directory, as SQLAlchemy reads them.
    expect(config.editions['api-studio'].databaseUrl).toBe('sqlite:./api_studio.db');
    expect(addon.databaseUrl).toBe('sqlite:./clockify_addon.db');
    expect(load({ DATABASE_URL: 'postgresql+asyncpg://app:pw@db.internal:5432/addon' }).editions['clockify-addon'].databaseUrl).toBe(
      'postgresql://app:pw@db.internal:5432/addon',
    );
    expect(load({ DATABASE_URL: 'sqlite+aiosqlite:////var/lib/addon/x.db' }).editions['clockify-addon'].databaseUrl).toBe(
      'sqlite:/var/lib/addon/x.db',
    );
  });

  it('honours USE_REDIS=false even with REDIS_URL set, and uses REDIS_URL alone as before', () => {
    expect(config.redisUrl).toBeUndefined();
    expect(load({ REDIS_URL: 'redis://localhost:6379/0' }).redisUrl).toBe('redis://localhost:6379/0');
  });

  it('reads its names as aliases of ours, where ours keeps its default the Python one did not set', () => {
    expect(config.editions['universal-webhook'].settingDefaults).toMatchObject({
      max_pages: 200,
      max_rps: 25,
      include_heavy: false,
      include_time_entries: false,
      time_entry_days_back: 30,
      enable_http_actions: false,
      retention_days: 90,
    });
    // Two Python retention periods, one of ours: the longer, so nothing goes earlier than before.
    expect(config.editions['api-studio'].settingDefaults.retention_days).toBe(90);
    expect(config.editions['clockify-addon'].settingDefaults.run_on_install).toBe(true);
    expect(config.bootstrap.concurrency).toBe(10);
    expect(config.clockify.allowedHosts).toEqual(['api.clockify.me', 'reports.api.clockify.me', 'pto.api.clockify.me']);
    expect(config.clockify.apiBaseUrl).toBe('https://api.clockify.me/api');
    expect(config.requireSignatureVerification).toBe(true);
    expect(config.logLevel).toBe('info');
    expect(load({ LOG_LEVEL: 'WARNING' }).logLevel).toBe('warn');
    // Ours wins over its alias when both are set.
    expect(load({ UW_MAX_PAGES: '7', UW_BOOTSTRAP_MAX_PAGES: '200' }).editions['universal-webhook'].settingDefaults.max_pages).toBe(7);
  });

  it('warns once about the aliases with the preferred names, and about what it ignores and why', () => {
    const aliasWarnings = config.warnings.filter((warning) => warning.includes("Python system's names"));
    expect(aliasWarnings).toHaveLength(1);
    for (const pair of [
      'UNIVERSAL_WEBHOOK_ADDON_KEY -> UW_ADDON_KEY',
      'ADDON_KEY -> CLOCKIFY_ADDON_ADDON_KEY',
      'UW_BOOTSTRAP_MAX_PAGES -> UW_MAX_PAGES',
      'API_STUDIO_BOOTSTRAP_MAX_RPS -> API_STUDIO_MAX_RPS',
      'PORT -> CLOCKIFY_ADDON_PORT',
      'ALLOWED_API_DOMAINS -> CLOCKIFY_ALLOWED_HOSTS',
    ]) {
      expect(aliasWarnings[0]).toContain(pair);
    }
    for (const name of ['CLOCKIFY_ENVIRONMENT', 'CLOCKIFY_JWKS_DEV_URL', 'CLOCKIFY_JWKS_PROD_URL'])
      expect(config.warnings).toContainEqual(expect.stringMatching(new RegExp(`^${name} is ignored: Clockify publishes no such JWKS`)));
    expect(config.warnings).toContainEqual(expect.stringMatching(/API_STUDIO_DB_URL is a SQLAlchemy URL/));
    // BASE_URL is read only where ours (CLOCKIFY_ADDON_BASE_URL, also in its .env) is not set.
    const baseUrlOnly = load({ BASE_URL: 'https://addon.example.com' });
    expect(baseUrlOnly.editions['clockify-addon'].baseUrl).toBe('https://addon.example.com');
    expect(baseUrlOnly.warnings[0]).toContain('BASE_URL -> CLOCKIFY_ADDON_BASE_URL');
    // Its defaults for these match ours: nothing to say about them.
    expect(config.warnings.join('\n')).not.toMatch(/RATE_LIMIT_ENABLED|WEBHOOK_MAX_PAYLOAD_BYTES|UW_ENABLE_FLOWS/);

    // Its keys are set in its .env: nothing to say. A Python .env relying on its default keys is told.
    expect(config.warnings.join('\n')).not.toMatch(/is not set: the key/);
    const { UNIVERSAL_WEBHOOK_ADDON_KEY: _uw, ADDON_KEY: _ca, ...defaultKeys } = PYTHON_ENV;
    expect(load(defaultKeys).warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^UW_ADDON_KEY is not set: .*"universal-webhook-api"/),
        expect.stringMatching(/^CLOCKIFY_ADDON_ADDON_KEY is not set: .*"clockify-python-addon"/),
      ]),
    );
    const risky = load({ ...PYTHON_ENV, DEBUG: 'true', WEBHOOK_HMAC_SECRET: 'shared-secret', RATE_LIMIT_ENABLED: 'false' });
    expect(risky.warnings).toContainEqual(expect.stringMatching(/^DEBUG is ignored: its unauthenticated debug routes are not reproduced/));
    expect(risky.warnings).toContainEqual(expect.stringMatching(/^WEBHOOK_HMAC_SECRET is ignored: .*forgery/));
    expect(risky.warnings).toContainEqual(expect.stringMatching(/^RATE_LIMIT_ENABLED is ignored/));
    expect(risky.warnings.join('\n')).not.toContain('shared-secret');
  });

  it('logs those warnings once at start-up, never a secret value', () => {
    const logs = captureLogger();
    logConfigWarnings(load({ ...PYTHON_ENV, WEBHOOK_HMAC_SECRET: 'shared-secret' }), logs.logger);
    const lines = logs.lines().filter((line) => line.configuration === true);
    expect(lines.filter((line) => String(line.msg).includes("Python system's names"))).toHaveLength(1);
    expect(lines.some((line) => String(line.msg).startsWith('WEBHOOK_HMAC_SECRET is ignored'))).toBe(true);
    expect(logs.text()).not.toContain('shared-secret');
  });

  it('names the closest known variable for an unknown one under our prefixes', () => {
    const warnings = load({ UW_BOOTSTRAP_MAX_PAGE: '5', API_STUDIO_ADDON_KYE: 'x', UNRELATED_THING: '1' }).warnings;
    expect(warnings).toContainEqual(
      'UW_BOOTSTRAP_MAX_PAGE is not a known variable and is ignored; did you mean UW_BOOTSTRAP_MAX_PAGES (preferred name: UW_MAX_PAGES)?',
    );
    expect(warnings).toContainEqual('API_STUDIO_ADDON_KYE is not a known variable and is ignored; did you mean API_STUDIO_ADDON_KEY?');
    expect(warnings.join('\n')).not.toContain('UNRELATED_THING');
  });

  it('documents every alias in .env.example', () => {
    const example = readFileSync(`${projectRoot}/.env.example`, 'utf8');
    for (const name of Object.keys(PYTHON_ENV).filter((name) => !['POSTGRES_USER', 'POSTGRES_PASSWORD', 'LOG_FORMAT'].includes(name)))
      expect(example, name).toContain(name);
  });
});

/** Our test database's URL in the SQLAlchemy form a Python .env holds. */
function sqlAlchemyUrl(url: string): string {
  return url.startsWith('sqlite:')
    ? `sqlite+aiosqlite:///${url.slice('sqlite:'.length)}`
    : url.replace(/^postgres(ql)?:\/\//, 'postgresql+asyncpg://');
}

describeEachDialect("the editions started with the Python system's .env", (dialect) => {
  let stack: Stack;
  const databases: TestDatabase[] = [];
  let workspaceId: string;
  const UW: EditionId = 'universal-webhook';

  beforeAll(async () => {
    const env: Record<string, string> = { ...PYTHON_ENV };
    // The stack gives each edition its address; nothing listens on this Redis, which USE_REDIS=false must not need.
    for (const name of ['BASE_URL', 'CLOCKIFY_ADDON_BASE_URL', 'HOST', 'PORT']) delete env[name];
    env.REDIS_URL = 'redis://127.0.0.1:1/0';
    for (const name of ['API_STUDIO_DB_URL', 'UNIVERSAL_WEBHOOK_DB_URL', 'DATABASE_URL']) {
      const database = await createTestDatabaseUrl(dialect);
      databases.push(database);
      env[name] = sqlAlchemyUrl(database.url);
    }
    // Flows' generic HTTP actions stay as the .env says (off); the sandbox is the only Clockify.
    stack = await startStack({ editions: EDITIONS, dialect, env });
    for (const id of EDITIONS) ({ workspaceId } = await stack.install(id));
  }, 120_000);
  afterAll(async () => {
    await stack?.close();
    for (const database of databases) await database.drop().catch(() => undefined);
  });

  it('runs on the databases its URLs name, ready without Redis', async () => {
    for (const id of EDITIONS) {
      const edition = stack.edition(id);
      expect(edition.runtime.database.dialect).toBe(dialect);
      expect(edition.runtime.redis).toBeUndefined();
      const ready = await fetch(`${edition.url}/ready`);
      expect(ready.status, id).toBe(200);
      expect(edition.runtime.config.warnings.some((warning) => warning.includes('UNIVERSAL_WEBHOOK_ADDON_KEY -> UW_ADDON_KEY'))).toBe(true);
    }
  });

  it("serves its keys and names in manifests valid against Clockify's schema", async () => {
    for (const id of EDITIONS) {
      const manifest = await (await fetch(`${stack.edition(id).url}/manifest`)).json();
      expect(manifest).toMatchObject(PYTHON_IDENTITY[id]);
      const ajv = new AjvDraft04({ strict: false, allErrors: true });
      addFormats(ajv);
      const validate = ajv.compile(readResourceJson<object>('clockify', `manifest-schema-${manifest.schemaVersion}.json`));
      validate(manifest);
      expect(validate.errors ?? [], id).toEqual([]);
    }
  });

  it('exposes its metric names', async () => {
    for (const id of EDITIONS) {
      const text = await (await fetch(`${stack.edition(id).url}/metrics`)).text();
      for (const name of PYTHON_METRICS) expect(text, `${id}: ${name}`).toMatch(new RegExp(`^# TYPE ${name} (counter|gauge)$`, 'm'));
      for (const name of ['addon_uptime_seconds', 'api_calls_total', 'bootstrap_completed', 'bootstrap_errors'])
        expect(text, `${id}: ${name}`).toMatch(new RegExp(`^${name}\\{edition="${id}"\\} \\d`, 'm'));
      // Each install bootstraps once: counted when it finishes.
      const completedOnce = new RegExp(`^bootstrap_completed\\{edition="${id}"\\} 1$`, 'm');
      await eventually(async () => completedOnce.test(await (await fetch(`${stack.edition(id).url}/metrics`)).text()), 60_000);
      expect(text).toMatch(/^flows_executed_total\{status="completed"/m);
      expect(text).toMatch(/^flows_executed_total\{status="failed"/m);
    }
  });

  it('accepts each of its explorer request shapes, translated, and refuses unknown fields in every shape', async () => {
    const projects = (await stack.ui(UW, '/ui/api-explorer/execute', { body: { operationId: 'getProjects', params: {} } })).body.body as {
      name: string;
    }[];
    const name = projects[0]!.name;
    const shapes: [string, string, unknown][] = [
      ['ours', '/ui/api-explorer/execute', { operationId: 'getProjects', params: { name } }],
      [
        'API Studio',
        `/ui/api-explorer/execute?workspace_id=${workspaceId}`,
        { workspace_id: workspaceId, operation_id: 'getProjects', path_params: {}, query_params: { name } },
      ],
      [
        'Universal Webhook',
        `/ui/api-explorer/execute?workspace_id=${workspaceId}`,
        { operation_id: 'getProjects', params: { path: {}, query: { name } } },
      ],
      [
        'Clockify Add-on explorer',
        '/ui/api-explorer/execute',
        { workspaceId, method: 'GET', path: '/workspaces/{workspaceId}/projects', params: {}, query: { name }, developerMode: false },
      ],
      [
        'Clockify Add-on /api-call',
        '/api-call',
        {
          method: 'GET',
          endpoint: '/v1/workspaces/{workspaceId}/projects',
          params: { workspaceId },
          query: { name },
          developer_mode: false,
          workspace_id: workspaceId,
        },
      ],
    ];
    for (const [shape, path, body] of shapes) {
      const response = await stack.ui(UW, path, { body });
      expect(response.status, `${shape}: ${JSON.stringify(response.body)}`).toBe(200);
      expect(response.body.request.query, shape).toMatchObject({ name });
      expect(
        (response.body.body as { name: string }[]).every((project) => project.name.includes(name)),
        shape,
      ).toBe(true);
    }
    const misspelt: [string, string, unknown][] = [
      ['ours', '/ui/api-explorer/execute', { operationId: 'getProjects', qurey: { name } }],
      ['API Studio', '/ui/api-explorer/execute', { operation_id: 'getProjects', query_parms: { name } }],
      ['Universal Webhook', '/ui/api-explorer/execute', { operation_id: 'getProjects', params: { path: {}, querry: { name } } }],
      [
        'Clockify Add-on explorer',
        '/ui/api-explorer/execute',
        { method: 'GET', path: '/workspaces/{workspaceId}/projects', qeury: { name } },
      ],
      ['Clockify Add-on /api-call', '/api-call', { method: 'GET', endpoint: '/workspaces/{workspaceId}/projects', querys: { name } }],
    ];
    for (const [shape, path, body] of misspelt) {
      const response = await stack.ui(UW, path, { body });
      expect(response.status, shape).toBe(400);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(JSON.stringify(response.body.errors ?? response.body), shape).toMatch(/qurey|query_parms|querry|qeury|querys/);
    }
    const otherWorkspace = await stack.ui(UW, '/ui/api-explorer/execute?workspace_id=someone-else', {
      body: { operation_id: 'getProjects' },
    });
    expect(otherWorkspace.status).toBe(403);
  });

  it('imports its flow definitions, translated, and runs them; refuses what cannot be translated, naming the field', async () => {
    const python = {
      name: 'Tag every new client',
      enabled: true,
      trigger_event_types: ['NEW_CLIENT'],
      conditions: { type: 'ALL', rules: [{ field: '$.name', operator: '==', value: 'py-import' }] },
      actions: [
        {
          operation_id: 'createNewTag',
          path_params: { workspaceId: '$.webhook.workspaceId' },
          query_params: {},
          body: { name: '$.webhook.name' },
        },
        { type: 'CLOCKIFY_API', operation_id: 'getTag', params: { path: { id: '$.action_0_result.id' }, query: {} } },
      ],
    };
    const created = await stack.ui(UW, `/ui/flows?workspace_id=${workspaceId}`, { body: python });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const flow = created.body.flow;
    expect(flow.definition).toMatchObject({
      name: 'Tag every new client',
      enabled: true,
      trigger: { kind: 'clockify', events: ['NEW_CLIENT'] },
      conditions: { mode: 'all', rules: [{ path: '$.name', op: 'equals', value: 'py-import' }] },
      actions: [
        { id: 'action_0', kind: 'clockify', operationId: 'createNewTag', body: { name: '{{ event.name }}' } },
        { id: 'action_1', kind: 'clockify', operationId: 'getTag', params: { id: '{{ steps.action_0.body.id }}' } },
      ],
    });
    // Stored in the edition's own database, and it runs.
    const stored = await stack
      .edition(UW)
      .runtime.database.db.selectFrom('flows')
      .select('id')
      .where('id', '=', flow.id)
      .executeTakeFirst();
    expect(stored?.id).toBe(flow.id);
    const deliveries = await stack.sandbox.trigger('NEW_CLIENT', {
      workspaceId,
      payload: { id: `client-py-${Date.now()}`, name: 'py-import', workspaceId, archived: false },
    });
    // Every edition subscribes to NEW_CLIENT: each got it.
    expect(deliveries.map((delivery) => delivery.status)).toEqual([200, 200, 200]);
    const run = await eventually(
      async () =>
        ((await stack.ui(UW, `/ui/flows/${flow.id}/executions`)).body.runs as { status: string; matched: boolean }[]).find(
          (r) => r.status !== 'running' && r.matched,
        ),
      20_000,
    );
    expect(run.status).toBe('succeeded');

    // Its partial update: only the fields given change.
    const updated = await stack.ui(UW, `/ui/flows/${flow.id}`, {
      method: 'PUT',
      body: { enabled: false, trigger_event_types: ['NEW_CLIENT', 'CLIENT_UPDATED'] },
    });
    expect(updated.status, JSON.stringify(updated.body)).toBe(200);
    expect(updated.body.flow.definition).toMatchObject({
      enabled: false,
      trigger: { events: ['NEW_CLIENT', 'CLIENT_UPDATED'] },
      name: 'Tag every new client',
    });

    const untranslatable = await stack.ui(UW, '/ui/flows', {
      body: {
        ...python,
        conditions: { type: 'ALL', rules: [{ field: '$.name', operator: 'regex', value: 'x' }] },
        actions: [{ type: 'SEND_EMAIL', to: 'x' }],
      },
    });
    expect(untranslatable.status).toBe(400);
    const fields = (untranslatable.body.errors as { field: string }[]).map((error) => error.field);
    expect(fields).toEqual(expect.arrayContaining(['conditions.rules[0].operator', 'actions[0].type']));
  });

  it("reads a custom webhook's event type from event_type by default, or from the place a source names", async () => {
    const created = await stack.ui(UW, '/ui/sources', { body: { name: 'shop', signatureMode: 'none', allowUnsigned: true } });
    expect(created.status).toBe(201);
    expect(created.body.source.eventTypeDefaults.slice(0, 3)).toEqual(['$.event_type', '$.type', '$.event']);
    const url = created.body.source.url.replace(/^https?:\/\/[^/]+/, stack.edition(UW).url);
    const send = (body: unknown, headers: Record<string, string> = {}) =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    const typeOf = async (eventId: string) =>
      (
        await stack
          .edition(UW)
          .runtime.database.db.selectFrom('webhook_events')
          .select('event_type')
          .where('id', '=', eventId)
          .executeTakeFirstOrThrow()
      ).event_type;

    const first = await (await send({ event_type: 'order.created', id: 1 })).json();
    expect(await typeOf(first.eventId)).toBe('order.created');

    const bad = await stack.ui(UW, `/ui/sources/${created.body.source.id}/event-type`, {
      method: 'PUT',
      body: { eventTypeFrom: 'somewhere' },
    });
    expect(bad.status).toBe(400);
    const byHeader = await stack.ui(UW, `/ui/sources/${created.body.source.id}/event-type`, {
      method: 'PUT',
      body: { eventTypeFrom: 'header:X-Shop-Topic' },
    });
    expect(byHeader.status).toBe(200);
    const second = await (await send({ event_type: 'ignored', id: 2 }, { 'x-shop-topic': 'orders/paid' })).json();
    expect(await typeOf(second.eventId)).toBe('orders/paid');

    await stack.ui(UW, `/ui/sources/${created.body.source.id}/event-type`, { method: 'PUT', body: { eventTypeFrom: '$.meta.kind' } });
    const third = await (await send({ meta: { kind: 'refund' }, id: 3 })).json();
    expect(await typeOf(third.eventId)).toBe('refund');
  });

  it("answers /ui/health, /ui/dashboard (the caller's workspace only) and /openapi.json", async () => {
    for (const id of EDITIONS) {
      const url = stack.edition(id).url;
      const health = await fetch(`${url}/ui/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok' });
      const openapi = await fetch(`${url}/openapi.json`);
      expect(openapi.status).toBe(200);
      const spec = await openapi.json();
      expect(spec.openapi).toMatch(/^3\./);
      expect(spec.paths['/ui/dashboard'].get.responses['200']).toBeDefined();
      expect(spec.paths['/ui/health'].get.responses['200']).toBeDefined();
      if (id === 'clockify-addon') expect(spec.info.contact).toEqual({ name: 'Example Vendor', url: 'https://vendor.example.com' });

      const dashboard = await stack.ui(id, `/ui/dashboard?workspace_id=${workspaceId}`);
      expect(dashboard.status).toBe(200);
      expect(dashboard.body).toMatchObject({
        workspaceId,
        edition: id,
        flows: { total: expect.any(Number) },
        last24h: { webhooks: { total: expect.any(Number) }, flowRuns: { total: expect.any(Number) }, apiCalls: expect.any(Number) },
      });
      expect(Array.isArray(dashboard.body.entityCounts)).toBe(true);
      expect((await stack.ui(id, '/ui/dashboard?workspace_id=someone-else')).status).toBe(403);
      expect((await fetch(`${url}/ui/dashboard`)).status).toBe(401);
    }
    const uw = await stack.ui(UW, '/ui/dashboard');
    expect(uw.body.flows.total).toBeGreaterThanOrEqual(1);
    expect(uw.body.last24h.webhooks.total).toBeGreaterThanOrEqual(1);
  });
});
