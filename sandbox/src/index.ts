import { seedWorkspaces } from './data/seed.js';
import type { WorkspaceData } from './data/workspace.js';
import { DeliveryLog } from './deliveries.js';
import { ClockifyError } from './errors.js';
import { EventDispatcher } from './events.js';
import { FaultInjector } from './faults.js';
import { InstallationService } from './installations.js';
import { loadOrCreateKeys } from './keys.js';
import { SlidingWindowLimiter, maxInSlidingWindow } from './rate-limit.js';
import { registerControlRoutes } from './routes/control.js';
import { registerWebhookLogRoutes } from './routes/webhook-logs.js';
import { WebhookLogStore } from './webhook-logs.js';
import { buildServer } from './server.js';
import { requestChecker } from './spec/request-check.js';
import { SpecValidator } from './spec/validator.js';
import { TokenService, type TokenUrls } from './tokens.js';
import type { ApiRequestRecord, Plan, Sandbox, SandboxOptions, SpecViolation, WorkspaceInfo } from './types.js';
import { samplePayload } from './webhook-samples.js';
import { WebhookRegistry } from './webhook-registry.js';

export type * from './types.js';

/**
 * Starts a local, stateful stand-in for Clockify: its REST API (for add-ons) on one side, lifecycle
 * calls and signed webhooks (to add-ons) on the other. See sandbox/README.md.
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const host = options.host ?? '127.0.0.1';
  const keys = await loadOrCreateKeys(options.dataDir);
  const workspaces = new Map<string, WorkspaceData>(seedWorkspaces(options.seed).map((ws) => [ws.id, ws]));
  const plan: Plan = options.plan ?? 'ENTERPRISE';
  const requestLog: ApiRequestRecord[] = [];
  const violations: SpecViolation[] = [];
  const registry = new WebhookRegistry();
  const webhookLogs = new WebhookLogStore();
  const deliveries = new DeliveryLog(
    {
      timeoutMs: options.deliveryTimeoutMs ?? 10_000,
      webhookRetryDelaysMs: options.webhookRetryDelaysMs ?? [250, 1000],
    },
    (record, attempt) => {
      if (record.kind === 'webhook' && record.webhookId) {
        webhookLogs.record({
          webhookId: record.webhookId,
          webhookEventStatusId: record.id,
          requestBody: attempt.body,
          statusCode: attempt.status ?? 0,
          responseBody: (attempt.responseBody ?? '').slice(0, 2000),
        });
      }
    },
  );
  const faults = new FaultInjector(options.faults, options.seed?.seed ?? 1);
  const limiter = new SlidingWindowLimiter(options.rateLimitPerSecond ?? 50);
  let validator: SpecValidator | undefined;

  const workspace = (id?: string): WorkspaceData => {
    const ws = id ? workspaces.get(id) : workspaces.values().next().value;
    if (!ws) throw new ClockifyError(404, `Workspace ${id ?? ''} not found`);
    return ws;
  };

  // URLs are only known once listening; the token service reads them lazily through this object.
  const urls: TokenUrls = { backendUrl: '', reportsUrl: '', locationsUrl: '', screenshotsUrl: '', auditLogUrl: '' };
  const tokens = new TokenService(keys, urls);
  const installations = new InstallationService({
    workspace,
    tokens,
    deliveries,
    registry,
    get backendUrl() {
      return urls.backendUrl;
    },
    fetchTimeoutMs: options.deliveryTimeoutMs ?? 10_000,
  });
  const dispatcher = new EventDispatcher(registry, installations, deliveries);

  const app = buildServer(
    {
      workspaces,
      installations,
      registry,
      tokens,
      dispatcher,
      limiter,
      faults,
      requestLog,
      requests: requestChecker(),
      violations,
      ...(options.validateResponses ? { responses: new SpecValidator('response', { allPresent: true }) } : {}),
      plan: () => plan,
      validator: () => (validator ??= new SpecValidator('request')),
    },
    options.logger ?? false,
  );

  const sandbox: Sandbox = {
    url: '',
    backendUrl: '',
    reportsUrl: '',
    auditLogUrl: '',
    publicKeyPem: keys.publicKeyPem,
    workspaces: (): WorkspaceInfo[] =>
      [...workspaces.values()].map((ws) => ({ id: ws.id, name: ws.name, ownerId: ws.ownerId, userIds: [...ws.users.keys()] })),
    installations: () => installations.list().map((i) => installations.info(i)),
    install: (opts) => installations.install(opts),
    uninstall: (opts) => installations.uninstall(opts),
    setStatus: (opts) => installations.setStatus(opts),
    updateSettings: (opts) => installations.updateSettings(opts),
    userToken: (opts) => installations.userToken(opts),
    trigger: async (event, opts = {}) => {
      const ws = workspace(opts.workspaceId);
      const payload = opts.payload ?? samplePayload(event, ws);
      return dispatcher.dispatch(ws.id, event, payload, opts.addonKey ? { addonKey: opts.addonKey } : {});
    },
    deliveries: () => deliveries.list(),
    waitForDeliveries: () => deliveries.settled(),
    requestLog: () => requestLog.map((r) => ({ ...r })),
    specViolations: () => violations.map((v) => ({ ...v })),
    maxRequestsPerSecond: (workspaceId) =>
      maxInSlidingWindow(
        requestLog
          .filter((r) => r.workspaceId === workspaceId && r.status !== 429)
          .map((r) => r.at)
          .sort((a, b) => a - b),
      ),
    setFaults: (f) => faults.set(f),
    close: async () => {
      await deliveries.close();
      await app.close();
    },
  };

  registerControlRoutes(
    app,
    () => sandbox,
    () => stats(),
  );
  registerWebhookLogRoutes(app, {
    workspaces,
    installations,
    registry,
    tokens,
    plan: () => plan,
    validator: () => (validator ??= new SpecValidator('request')),
    webhookLogs,
  });

  const stats = (): Record<string, unknown> => {
    const byStatus: Record<string, number> = {};
    for (const r of requestLog) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
    const all = deliveries.list();
    return {
      requests: requestLog.length,
      requestsByStatus: byStatus,
      deliveries: all.length,
      failedDeliveries: all.filter((d) => d.state === 'FAILED').length,
      faults: faults.current,
      plan,
      workspaces: [...workspaces.values()].map((ws) => ({
        id: ws.id,
        timeEntries: ws.timeEntries.size,
        projects: ws.projects.size,
        maxRequestsPerSecond: sandbox.maxRequestsPerSecond(ws.id),
      })),
    };
  };

  const address = await app.listen({ port: options.port ?? 0, host });
  const port = new URL(address).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  Object.assign(urls, {
    backendUrl: `${url}/api`,
    reportsUrl: `${url}/reports`,
    locationsUrl: `${url}/locations`,
    screenshotsUrl: `${url}/screenshots`,
    auditLogUrl: `${url}/auditlog`,
  });
  Object.assign(sandbox, { url, backendUrl: urls.backendUrl, reportsUrl: urls.reportsUrl, auditLogUrl: urls.auditLogUrl });
  return sandbox;
}

export { seedWorkspaces } from './data/seed.js';
export { SpecValidator } from './spec/validator.js';
export { buildExample } from './spec/example.js';
