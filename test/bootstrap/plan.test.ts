import { describe, expect, it } from 'vitest';
import { getCatalog } from '../../src/clockify/catalog/index.js';
import { getEdition } from '../../src/editions/index.js';
import type { EditionId } from '../../src/editions/types.js';
import { effectiveSettings } from '../../src/lifecycle/settings.js';
import { planOptionsOf, runSettingsFrom } from '../../src/bootstrap/options.js';
import { CORE_ORDER, RANK_STRIDE, childSteps, listPathOf, planBootstrap, rootSteps, timeWindow } from '../../src/bootstrap/plan.js';
import type { BootstrapPlan, PlanOptions } from '../../src/bootstrap/plan.js';

const catalog = getCatalog();
const NOW = Date.parse('2025-03-15T12:00:00Z');
const window = timeWindow(NOW, 30);

function plan(overrides: Partial<PlanOptions> = {}, edition: EditionId = 'clockify-addon'): BootstrapPlan {
  return planBootstrap(catalog, {
    includeHeavy: false,
    includeTimeEntries: true,
    coreOnly: false,
    scopes: getEdition(edition).scopes,
    window,
    ...overrides,
  });
}

const ids = (p: BootstrapPlan) => [...p.roots, ...p.dependents].map((entry) => entry.operationId);
const all = (p: BootstrapPlan) => [...p.roots, ...p.dependents];

describe('bootstrap plan', () => {
  it('starts with the core entities in their order: user, workspace, users, clients, projects, tags, custom fields, groups', () => {
    const roots = plan().roots.map((entry) => entry.operationId);
    expect(roots.slice(0, 8)).toEqual([
      'getLoggedUser',
      'getWorkspaceOfUser',
      'getUsersOfWorkspace',
      'getClients',
      'getProjects',
      'getTags',
      'ofWorkspace',
      'getUserGroups',
    ]);
  });

  it('calls nothing that can change Clockify: GETs only, unless heavy query reports are allowed', () => {
    for (const entry of all(plan())) expect(catalog.get(entry.operationId)!.method).toBe('GET');
    const heavy = all(plan({ includeHeavy: true }));
    for (const entry of heavy) {
      const operation = catalog.get(entry.operationId)!;
      expect(operation.idempotent).toBe(true);
      if (operation.method !== 'GET') expect(entry.heavy).toBe(true);
    }
  });

  it('plans dependents whose path parameters come from earlier lists: tasks per project, time entries per user in the window', () => {
    const p = plan();
    const tasks = p.dependents.find((entry) => entry.operationId === 'getTasks')!;
    expect(tasks.parent).toMatchObject({ operationId: 'getProjects', entityType: 'projects', param: 'projectId', scopeIds: false });
    expect(tasks.entityType).toBe('tasks');
    const entries = p.dependents.find((entry) => entry.operationId === 'getTimeEntries')!;
    expect(entries.parent).toMatchObject({ operationId: 'getUsersOfWorkspace', entityType: 'users', param: 'userId' });
    expect(entries.entityType).toBe('time-entries');
    expect(entries.input.params).toEqual({ start: '2025-02-13T12:00:00Z', end: '2025-03-15T12:00:00Z' });
    const projectFields = p.dependents.find((entry) => entry.operationId === 'getCustomFieldsOfProject')!;
    // Custom field ids repeat across projects: their cache ids are scoped by the project.
    expect(projectFields.parent?.scopeIds).toBe(true);
    expect(projectFields.entityType).toBe('project-custom-fields');
  });

  it('skips single-item reads and parameters no list supplies', () => {
    const p = plan();
    for (const operationId of [
      'getClient',
      'getProject',
      'getTask',
      'getTimeEntry',
      'getMemberProfile',
      'getAddonWebhooks',
      'getWorkspacesOfUser',
      'getHolidaysInPeriod',
      'getCreatedEntityInfo',
    ]) {
      expect(ids(p)).not.toContain(operationId);
      expect(p.skipped.map((entry) => entry.operationId)).toContain(operationId);
    }
  });

  it('never plans an operation whose spec security takes no add-on token (the audit log, the workspace list)', () => {
    const heavy = plan({ includeHeavy: true });
    expect(ids(heavy)).not.toContain('getAuditLogs');
    expect(heavy.skipped.find((entry) => entry.operationId === 'getAuditLogs')?.reason).toMatch(/personal API key/);
    expect(heavy.skipped.find((entry) => entry.operationId === 'getWorkspacesOfUser')?.reason).toMatch(/personal API key/);
  });

  it('fills required query parameters with the spec default', () => {
    const users = plan().roots.find((entry) => entry.operationId === 'getUsersOfWorkspace')!;
    expect(users.input.params).toEqual({ 'include-roles': 'false' });
  });

  it('leaves out heavy operations (reports and audit-log servers, query POSTs) unless allowed', () => {
    const light = plan({ includeHeavy: false });
    expect(all(light).some((entry) => entry.heavy)).toBe(false);
    expect(ids(light)).not.toContain('generateDetailedReport');
    expect(light.skipped.find((entry) => entry.operationId === 'getSharedReportsV1')?.reason).toMatch(/heavy/);

    const heavy = plan({ includeHeavy: true });
    expect(ids(heavy)).toEqual(expect.arrayContaining(['generateDetailedReport', 'generateSummaryReport', 'getSharedReportsV1']));
    // Heavy ones come last.
    const ranks = heavy.roots.map((entry) => ({ heavy: entry.heavy, rank: entry.rank }));
    const lastLight = Math.max(...ranks.filter((entry) => !entry.heavy).map((entry) => entry.rank));
    expect(Math.min(...ranks.filter((entry) => entry.heavy).map((entry) => entry.rank))).toBeGreaterThan(lastLight);
    const detailed = heavy.roots.find((entry) => entry.operationId === 'generateDetailedReport')!;
    expect(detailed.input.body).toMatchObject({ dateRangeStart: '2025-02-13T12:00:00.000', dateRangeEnd: '2025-03-15T12:00:00.000' });
  });

  it('leaves out time entries unless include_time_entries is on', () => {
    const without = plan({ includeTimeEntries: false });
    expect(all(without).filter((entry) => catalog.get(entry.operationId)!.path.includes('time-entries'))).toEqual([]);
    expect(ids(plan({ includeTimeEntries: true }))).toEqual(expect.arrayContaining(['getTimeEntries', 'getInProgressTimeEntries']));
  });

  it('API Studio fetches core entities only', () => {
    const settings = effectiveSettings(getEdition('api-studio'), {}, { include_heavy: true, include_time_entries: true });
    const runSettings = runSettingsFrom(getEdition('api-studio'), settings, 1000, NOW);
    const p = planBootstrap(catalog, planOptionsOf(runSettings, getEdition('api-studio')));
    expect(ids(p).every((id) => CORE_ORDER.includes(id))).toBe(true);
    expect(ids(p)).toEqual(expect.arrayContaining(['getProjects', 'getTasks', 'getTimeEntries']));
    // The setting asks for heavy data, the edition does not allow it.
    expect(runSettings.includeHeavy).toBe(false);
  });

  it('skips operations the edition holds no scope for', () => {
    const p = planBootstrap(catalog, {
      includeHeavy: false,
      includeTimeEntries: true,
      coreOnly: false,
      scopes: ['WORKSPACE_READ', 'USER_READ', 'PROJECT_READ'],
      window,
    });
    expect(ids(p)).toContain('getProjects');
    expect(ids(p)).not.toContain('getClients');
    expect(ids(p)).not.toContain('getTasks');
    expect(p.skipped.find((entry) => entry.operationId === 'getClients')?.reason).toBe('needs scope CLIENT_READ');
  });

  it('names entity types after the path and stores single objects raw', () => {
    const byId = new Map(all(plan()).map((entry) => [entry.operationId, entry.entityType]));
    expect(byId.get('getProjects')).toBe('projects');
    expect(byId.get('getCategories')).toBe('expenses-categories');
    expect(byId.get('findPoliciesForWorkspace')).toBe('time-off-policies');
    expect(byId.get('getWorkspaceOfUser')).toBe('raw:getWorkspaceOfUser');
    expect(byId.get('getLoggedUser')).toBe('raw:getLoggedUser');
  });

  it('chooses page sizes: 500, capped by an operation maximum', () => {
    const p = plan({ includeHeavy: true });
    expect(p.roots.find((entry) => entry.operationId === 'getProjects')?.pageSize).toBe(500);
    expect(p.roots.find((entry) => entry.operationId === 'findPoliciesForWorkspace')?.pageSize).toBe(200);
    expect(p.roots.find((entry) => entry.operationId === 'getSharedReportsV1')?.pageSize).toBe(500);
    expect(p.roots.find((entry) => entry.operationId === 'ofWorkspace')?.pageSize).toBeUndefined();
  });

  it('expands dependents deterministically, each right after its parent rank and before later ranks', () => {
    const p = plan();
    const children = childSteps(p, 'getProjects', ['p2', 'p1', 'p2'], 'ws1');
    expect(children.map((step) => step.stepKey)).toEqual([
      'getTasks:p1',
      'getTasks:p2',
      'getCustomFieldsOfProject:p1',
      'getCustomFieldsOfProject:p2',
    ]);
    expect(children[0]!.input.params).toEqual({ workspaceId: 'ws1', projectId: 'p1' });
    const roots = rootSteps(p, 'ws1');
    const positionOf = (operationId: string) => roots.find((step) => step.operationId === operationId)!.position;
    for (const child of children) {
      expect(child.position).toBeGreaterThan(positionOf('getProjects'));
      expect(child.position).toBeLessThan(positionOf('getInProgressTimeEntries'));
    }
    expect(children[0]!.position).toBe(CORE_ORDER.indexOf('getTasks') * RANK_STRIDE + RANK_STRIDE + 1);
  });

  it('finds the list inside wrapper responses and treats objects with an id as single entities', () => {
    expect(listPathOf({ type: 'array', items: {} })).toEqual([]);
    expect(
      listPathOf({
        type: 'object',
        properties: {
          webhooks: { type: 'array', items: { type: 'object', properties: { id: {} } } },
          workspaceWebhookCount: { type: 'integer' },
        },
      }),
    ).toEqual(['webhooks']);
    expect(
      listPathOf({
        type: 'object',
        properties: { id: { type: 'string' }, memberships: { type: 'array', items: { type: 'object', properties: { id: {} } } } },
      }),
    ).toBeUndefined();
    expect(listPathOf(undefined)).toBeUndefined();
  });
});

describe('run settings', () => {
  it('caps max_pages by the global bound and keeps the time window fixed at creation', () => {
    const edition = getEdition('clockify-addon');
    const settings = effectiveSettings(edition, {}, { max_pages: 5000, time_entry_days_back: 7 });
    const run = runSettingsFrom(edition, settings, 100, NOW);
    expect(run.maxPages).toBe(100);
    expect(run.window).toEqual({ start: '2025-03-08T12:00:00Z', end: '2025-03-15T12:00:00Z' });
    expect(runSettingsFrom(edition, effectiveSettings(edition, {}, { max_pages: 3 }), 100, NOW).maxPages).toBe(3);
  });

  it('allows heavy operations only when both the setting and the edition do', () => {
    const addon = getEdition('clockify-addon');
    expect(runSettingsFrom(addon, effectiveSettings(addon, {}, { include_heavy: true }), 10, NOW).includeHeavy).toBe(true);
    expect(runSettingsFrom(addon, effectiveSettings(addon, {}, { include_heavy: false }), 10, NOW).includeHeavy).toBe(false);
  });
});
