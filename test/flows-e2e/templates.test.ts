/**
 * The ready-made flow templates, end to end against the sandbox: the change happens in Clockify
 * through its REST API, Clockify fires the trigger webhook, the flow's action changes Clockify, and
 * the follow-up webhook of that change arrives back at the add-on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startStack } from '../helpers/stack.js';
import type { Stack } from '../helpers/stack.js';
import { clockify, finishedRun, registered, startReceiver, storedEvents } from './flow-helpers.js';
import type { Receiver } from './flow-helpers.js';

const UW = 'universal-webhook' as const;

describe('flow templates end to end (Universal Webhook)', () => {
  let stack: Stack;
  let receiver: Receiver;
  let workspaceId: string;
  let projects: { id: string; name: string }[];
  let tag: { id: string; name: string };

  beforeAll(async () => {
    receiver = await startReceiver('127.0.0.1');
    stack = await startStack({ editions: [UW], env: { OUTBOUND_HTTP_ALLOWLIST: '127.0.0.1' } });
    ({ workspaceId } = await stack.install(UW));
    projects = await clockify(stack, UW, 'getProjects', { 'page-size': 10 });
    tag = await clockify(stack, UW, 'createNewTag', {}, { name: 'flow-added' });
  });
  afterAll(async () => {
    await stack?.close();
    await receiver?.close();
  });

  /** Creates a flow from a template and returns it; only that flow is enabled afterwards, so templates never act on each other's events. */
  async function fromTemplate(templateId: string, inputs: Record<string, unknown>) {
    const existing = await stack.ui(UW, '/ui/flows');
    for (const flow of existing.body.flows)
      if (flow.enabled) expect((await stack.ui(UW, `/ui/flows/${flow.id}/disable`, { method: 'POST' })).status).toBe(200);
    const created = await stack.ui(UW, `/ui/flows/templates/${templateId}`, { body: { inputs } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.flow.enabled).toBe(true);
    return created.body.flow as { id: string; version: number };
  }

  async function newTimeEntry(body: Record<string, unknown>) {
    return clockify(stack, UW, 'createTimeEntry', {}, { start: '2024-05-06T09:00:00Z', end: '2024-05-06T10:00:00Z', ...body });
  }

  it('lists the four starter templates and the recipes', async () => {
    const response = await stack.ui(UW, '/ui/flows/templates');
    expect(response.status).toBe(200);
    expect(response.body.templates.map((t: { id: string }) => t.id).sort()).toEqual([
      'daily-hours-alert',
      'default-time-entry-description',
      'description-reminder',
      'new-user-group',
      'notify-time-off-request',
      'project-estimate-alert',
      'project-standard-tasks',
      'stop-long-timer',
      'tag-project-time-entries',
      'ticket-tag',
      'time-off-notice',
      'weekly-summary',
    ]);
    for (const template of response.body.templates) expect(template.requiredInputs.length).toBeGreaterThan(0);
  });

  it('refuses a template with a missing input with 400 naming it', async () => {
    const response = await stack.ui(UW, '/ui/flows/templates/tag-project-time-entries', {
      body: { inputs: { projectId: projects[0]!.id } },
    });
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([expect.objectContaining({ field: 'inputs.tagId' })]);
  });

  it('tags every new time entry of a project: the tag is in Clockify and TIME_ENTRY_UPDATED comes back', async () => {
    const [project, otherProject] = projects;
    const flow = await fromTemplate('tag-project-time-entries', { projectId: project!.id, tagId: tag.id });

    const entry = await newTimeEntry({ projectId: project!.id, description: 'tag me' });
    const run = await finishedRun(stack, UW, flow.id, (r) => r.matched);
    expect(run.run.status, JSON.stringify(run)).toBe('succeeded');
    expect(run.actions).toEqual([expect.objectContaining({ actionId: 'tagEntry', status: 'succeeded', attempts: 1 })]);

    const stored = await clockify(stack, UW, 'getTimeEntry', { id: entry.id });
    expect(stored.tagIds).toEqual([tag.id]);
    expect(stored.description).toBe('tag me');
    expect(stored.projectId).toBe(project!.id);
    const followUp = await eventually(async () =>
      (await storedEvents(stack, UW, 'TIME_ENTRY_UPDATED')).find((event) => event.payload.id === entry.id),
    );
    expect(followUp.payload.tagIds).toEqual([tag.id]);

    // Another project's entry does not match: the run is recorded as skipped and the entry keeps no tags.
    const other = await newTimeEntry({ projectId: otherProject!.id, description: 'leave me' });
    const skipped = await finishedRun(stack, UW, flow.id, (r) => !r.matched);
    expect(skipped.run.status).toBe('skipped');
    expect(skipped.actions).toEqual([]);
    expect((await clockify(stack, UW, 'getTimeEntry', { id: other.id })).tagIds ?? []).toEqual([]);
  });

  it('gives an empty description a default', async () => {
    const flow = await fromTemplate('default-time-entry-description', { description: 'Unnamed work {{ not a template }}' });
    const entry = await newTimeEntry({ projectId: projects[0]!.id });
    const run = await finishedRun(stack, UW, flow.id, (r) => r.matched);
    expect(run.run.status).toBe('succeeded');
    const stored = await clockify(stack, UW, 'getTimeEntry', { id: entry.id });
    // User text is literal: the braces are kept, never rendered.
    expect(stored.description).toBe('Unnamed work {{ not a template }}');
    await eventually(async () =>
      (await storedEvents(stack, UW, 'TIME_ENTRY_UPDATED')).find(
        (event) => event.payload.id === entry.id && event.payload.description === 'Unnamed work {{ not a template }}',
      ),
    );
  });

  it('creates the standard tasks of every new project, and NEW_TASK comes back for each', async () => {
    const flow = await fromTemplate('project-standard-tasks', { taskNames: 'Design\nBuild\nReview' });
    const project = await clockify(stack, UW, 'createNewProject', {}, { name: 'Flow-made project' });
    const run = await finishedRun(stack, UW, flow.id, (r) => r.matched);
    expect(run.run.status).toBe('succeeded');
    expect(run.actions.map((action) => action.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);

    const tasks = await clockify(stack, UW, 'getTasks', { projectId: project.id });
    expect(tasks.map((task: { name: string }) => task.name).sort()).toEqual(['Build', 'Design', 'Review']);
    const followUps = await eventually(async () => {
      const events = (await storedEvents(stack, UW, 'NEW_TASK')).filter((event) => event.payload.projectId === project.id);
      return events.length === 3 ? events : undefined;
    });
    expect(followUps.map((event) => event.payload.name).sort()).toEqual(['Build', 'Design', 'Review']);
  });

  it('notifies an external URL when time off is requested (HTTP actions enabled by the workspace setting)', async () => {
    // Off by default: the template cannot even be saved.
    const refused = await stack.ui(UW, '/ui/flows/templates/notify-time-off-request', {
      body: { inputs: { url: `${receiver.url}/hooks/time-off` } },
    });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body.errors)).toContain('HTTP actions are not enabled');

    const key = stack.edition(UW).runtime.editionConfig.key;
    const settings = await stack.sandbox.updateSettings({ addonKey: key, workspaceId, values: { enable_http_actions: true } });
    expect(settings.status).toBe(200);
    await registered(stack, UW, workspaceId, 'TIME_OFF_REQUESTED');

    const flow = await fromTemplate('notify-time-off-request', { url: `${receiver.url}/hooks/time-off` });
    const deliveries = await stack.sandbox.trigger('TIME_OFF_REQUESTED', { workspaceId });
    expect(deliveries.map((delivery) => delivery.status)).toEqual([200]);
    const run = await finishedRun(stack, UW, flow.id);
    expect(run.run.status).toBe('succeeded');

    expect(receiver.requests).toHaveLength(1);
    const received = receiver.requests[0]!;
    expect(received).toMatchObject({ method: 'POST', path: '/hooks/time-off' });
    expect(received.headers['content-type']).toContain('application/json');
    const body = JSON.parse(received.body);
    const payload = deliveries[0]!.payload as { userId: string };
    expect(body).toMatchObject({ type: 'TIME_OFF_REQUESTED', workspaceId, userId: payload.userId, request: payload });
  });
});
