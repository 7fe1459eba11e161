import { describe, expect, it } from 'vitest';
import { evaluateConditions } from '../../src/flows/conditions.js';
import { FLOW_TEMPLATES, findFlowTemplate, flowTemplatesFor, TemplateInputError, type FlowTemplate } from '../../src/flows/library.js';
import type { BranchStep, FlowAction } from '../../src/flows/model.js';
import { renderValue } from '../../src/flows/templates.js';
import { validateFlowDefinition, type FlowValidationContext } from '../../src/flows/validate.js';
import { readResourceJson } from '../../src/resources.js';
import { CLOCKIFY_EVENTS_FOR_TESTS } from './events.js';
import { catalogFromOpenApi } from './openapi-catalog.js';

const samples = readResourceJson<Record<string, Record<string, unknown> & { id: string }>>('clockify', 'webhook-samples.json');
const catalog = catalogFromOpenApi();

const exampleInputs: Record<string, Record<string, unknown>> = {
  'tag-project-time-entries': { projectId: '5f11849d4e759e12c40733d5', tagId: '5f118b747db7a8637ffcaf33' },
  'default-time-entry-description': { description: 'General work' },
  'project-standard-tasks': { taskNames: 'Planning\nDevelopment\n\nReview' },
  'notify-time-off-request': { url: 'https://hooks.example.com/time-off' },
  'daily-hours-alert': { hours: '8', timeZone: 'Europe/Berlin', url: 'https://hooks.example.com/hours' },
  'weekly-summary': { timeZone: 'Europe/Berlin', url: 'https://hooks.example.com/week' },
  'stop-long-timer': { hours: 10, url: 'https://hooks.example.com/timers' },
  'time-off-notice': { timeZone: 'Europe/Belgrade', url: 'https://hooks.example.com/time-off' },
  'new-user-group': { groupName: 'Everyone' },
  'ticket-tag': { tagName: 'ticket' },
  'description-reminder': { url: 'https://hooks.example.com/remind' },
  'project-estimate-alert': { hours: 100, url: 'https://hooks.example.com/projects' },
};

function contextFor(template: FlowTemplate): FlowValidationContext {
  return {
    allowedEvents: CLOCKIFY_EVENTS_FOR_TESTS,
    httpActionsEnabled: template.editions.every((edition) => edition === 'universal-webhook'),
    catalog,
  };
}

function template(id: string): FlowTemplate {
  const found = findFlowTemplate(id);
  if (!found) throw new Error(`no template ${id}`);
  return found;
}

describe('flow template library', () => {
  it('covers the starter use cases and the recipes, with distinct ids', () => {
    expect(FLOW_TEMPLATES.map((t) => t.id)).toEqual(Object.keys(exampleInputs));
    expect(catalog.size).toBeGreaterThan(150);
  });

  it.each(FLOW_TEMPLATES.map((t) => [t.id, t] as const))('%s builds a flow that passes validation against the real spec', (id, t) => {
    const flow = t.build(exampleInputs[id]!);
    const result = validateFlowDefinition(flow, contextFor(t));
    expect(result).toEqual({ ok: true, flow });
  });

  it.each(FLOW_TEMPLATES.map((t) => [t.id, t] as const))('%s names every input it needs', (id, t) => {
    for (const input of t.requiredInputs) {
      const inputs = { ...exampleInputs[id] };
      delete inputs[input.name];
      expect(() => t.build(inputs)).toThrow(TemplateInputError);
    }
  });

  it('offers the HTTP notification only in Universal Webhook', () => {
    expect(flowTemplatesFor('universal-webhook').map((t) => t.id)).toContain('notify-time-off-request');
    expect(flowTemplatesFor('api-studio').map((t) => t.id)).not.toContain('notify-time-off-request');
    expect(flowTemplatesFor('clockify-addon').map((t) => t.id)).not.toContain('notify-time-off-request');
    const t = template('notify-time-off-request');
    const result = validateFlowDefinition(t.build(exampleInputs[t.id]!), { ...contextFor(t), httpActionsEnabled: false });
    expect(result.ok).toBe(false);
  });

  it('tags only untagged entries of the chosen project, keeping the other fields', () => {
    const t = template('tag-project-time-entries');
    const flow = t.build({ projectId: 'p1', tagId: 'tagX' });
    const entry = { ...samples.NEW_TIME_ENTRY, projectId: 'p1', tagIds: [] };
    expect(evaluateConditions(flow.conditions, entry).matched).toBe(true);
    expect(evaluateConditions(flow.conditions, { ...entry, tagIds: ['other'] }).matched).toBe(false);
    expect(evaluateConditions(flow.conditions, { ...entry, projectId: 'p2' }).matched).toBe(false);

    const action = flow.actions[0] as Extract<FlowAction, { kind: 'clockify' }>;
    const rendered = renderValue({ params: action.params, body: action.body }, { event: entry, workspace: { id: 'ws' }, steps: {} });
    expect(rendered).toMatchObject({
      ok: true,
      value: {
        params: { id: entry.id },
        body: {
          start: '2020-07-17T11:35:01Z',
          end: '2020-07-17T12:35:01Z',
          billable: true,
          description: 'Webhook Test Description',
          tagIds: ['tagX'],
        },
      },
    });
  });

  it('sets the default description only when it is empty, and escapes template syntax in it', () => {
    const flow = template('default-time-entry-description').build({ description: 'Use {{ event.id }} literally' });
    expect(evaluateConditions(flow.conditions, { ...samples.NEW_TIME_ENTRY, description: '' }).matched).toBe(true);
    expect(evaluateConditions(flow.conditions, samples.NEW_TIME_ENTRY).matched).toBe(false);
    const action = flow.actions[0] as Extract<FlowAction, { kind: 'clockify' }>;
    const rendered = renderValue(action.body, { event: samples.NEW_TIME_ENTRY });
    expect(rendered.ok && (rendered.value as { description: string }).description).toBe('Use {{ event.id }} literally');
  });

  it('creates one task per line on a new project', () => {
    const flow = template('project-standard-tasks').build({ taskNames: ['Planning', ' Review ', ''] });
    expect(flow.trigger).toEqual({ kind: 'clockify', events: ['NEW_PROJECT'] });
    expect(flow.actions.map((a) => (a as { body: { name: string } }).body.name)).toEqual(['Planning', 'Review']);
    expect(flow.actions.every((a) => a.kind === 'clockify' && a.operationId === 'createTask')).toBe(true);
    expect(() => template('project-standard-tasks').build({ taskNames: Array.from({ length: 21 }, (_, i) => `t${i}`) })).toThrow(
      /at most 20/,
    );
  });

  it('posts the time off request with the event as a JSON object', () => {
    const flow = template('notify-time-off-request').build({ url: 'https://hooks.example.com/x' });
    const action = flow.actions[0]!;
    expect(action.kind).toBe('http');
    const rendered = renderValue((action as { body: unknown }).body, { event: samples.TIME_OFF_REQUESTED, workspace: { id: 'ws1' } });
    expect(rendered).toMatchObject({
      ok: true,
      value: { workspaceId: 'ws1', start: '2022-08-28T22:00:00Z', request: samples.TIME_OFF_REQUESTED },
    });
  });

  it.each([
    ['notify-time-off-request', { url: 'ftp://example.com' }, 'url'],
    ['notify-time-off-request', { url: 'https://user:pw@example.com' }, 'url'],
    ['tag-project-time-entries', { projectId: 'not an id!', tagId: 't' }, 'projectId'],
    ['default-time-entry-description', { description: '   ' }, 'description'],
    ['project-standard-tasks', { taskNames: '\n \n' }, 'taskNames'],
    ['daily-hours-alert', { hours: 'eight', timeZone: 'UTC', url: 'https://example.com' }, 'hours'],
    ['daily-hours-alert', { hours: 25, timeZone: 'UTC', url: 'https://example.com' }, 'hours'],
    ['daily-hours-alert', { hours: 8, timeZone: 'Europe/Atlantis', url: 'https://example.com' }, 'timeZone'],
    ['stop-long-timer', { hours: 2.5, url: 'https://example.com' }, 'hours'],
    ['stop-long-timer', { hours: 721, url: 'https://example.com' }, 'hours'],
    ['weekly-summary', { timeZone: '', url: 'https://example.com' }, 'timeZone'],
    ['new-user-group', { groupName: 'x'.repeat(101) }, 'groupName'],
  ])('%s rejects bad input %j', (id, inputs, inputName) => {
    try {
      template(id).build(inputs);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(TemplateInputError);
      expect((error as TemplateInputError).input).toBe(inputName);
    }
  });

  it('finds ticket keys such as PROJ-123 in a description, not other dashes', () => {
    const flow = template('ticket-tag').build({ tagName: 'ticket' });
    const matched = (description: string) =>
      evaluateConditions(flow.conditions, { ...samples.NEW_TIME_ENTRY, description, tagIds: [] }).matched;
    expect(['PROJ-123', 'fix login (WEB-7)', 'see AB2-15, then deploy'].map(matched)).toEqual([true, true, true]);
    expect(['covid-19 test', 'abc-12', 'XPROJ-', 'my-PROJ-12x'].map(matched)).toEqual([false, false, false, false]);
    expect(evaluateConditions(flow.conditions, { ...samples.NEW_TIME_ENTRY, description: 'PROJ-1', tagIds: ['t'] }).matched).toBe(false);
  });

  it('adds people to the group of exactly the name given, quotes and all', () => {
    const flow = template('new-user-group').build({ groupName: "Devs' {{ room }}" });
    const branch = flow.actions[1] as BranchStep;
    const run = (groups: { id: string; name: string }[]) => evaluateConditions(branch.if, { steps: { groups: { body: groups } } }).matched;
    expect(run([{ id: 'g1', name: "Devs' {{ room }}" }])).toBe(true);
    expect(run([{ id: 'g2', name: "Devs' {{ room }} and friends" }])).toBe(false);
    const create = (branch.else ?? [])[0] as Extract<FlowAction, { kind: 'clockify' }>;
    expect(renderValue(create.body, { event: {}, workspace: { id: 'ws' } })).toMatchObject({
      ok: true,
      value: { name: "Devs' {{ room }}" },
    });
  });
});
