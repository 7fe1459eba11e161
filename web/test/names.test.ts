import { describe, expect, it } from 'vitest';
import { EMPTY_DIRECTORY, fillExampleIds, idKindOf, nameIndex } from '../src/lib/names';
import { curlSample, fetchSample, sampleUrl } from '../src/lib/samples';

const names = nameIndex({
  ...EMPTY_DIRECTORY,
  workspace: { id: 'w1', name: 'Acme' },
  users: [{ id: 'u1', name: 'Ana' }],
  projects: [{ id: 'p1', name: 'Website Redesign' }],
  tasks: [
    { id: 't9', name: 'Other', parentId: 'p2' },
    { id: 't1', name: 'Design', parentId: 'p1' },
  ],
  tags: [{ id: 'g1', name: 'billable' }],
});

describe('names of ids', () => {
  it('names ids of every kind and knows their kind', () => {
    expect(names.nameOf('p1')).toBe('Website Redesign');
    expect(names.nameOf('w1')).toBe('Acme');
    expect(names.kindOf('g1')).toBe('tag');
    expect(names.nameOf('nope')).toBeUndefined();
  });

  it('reads the kind of id a parameter holds, a bare id from its path', () => {
    expect(idKindOf('projectId')).toBe('project');
    expect(idKindOf('tagIds')).toBe('tag');
    expect(idKindOf('id', '/v1/workspaces/{workspaceId}/tags/{id}')).toBe('tag');
    expect(idKindOf('id', '/v1/workspaces/{workspaceId}/projects/{projectId}/tasks/{id}')).toBe('task');
    expect(idKindOf('name')).toBeUndefined();
  });

  it('fills example bodies with real ids: a task of the chosen project, the viewer as user', () => {
    const body = {
      projectId: '5b641568b07987035750505e',
      taskId: 'x',
      tagIds: ['y'],
      userId: 'z',
      description: 'text',
      nested: [{ clientId: 'c' }],
    };
    expect(fillExampleIds(body, names, { userId: 'u1', workspaceId: 'w1' })).toEqual({
      projectId: 'p1',
      taskId: 't1',
      tagIds: ['g1'],
      userId: 'u1',
      description: 'text',
    });
  });

  it('makes an example interval the last 90 minutes, adding the start an end needs', () => {
    const now = Date.UTC(2026, 0, 2, 10, 0, 30);
    expect(fillExampleIds({ end: '2021-01-01T00:00:00Z', description: 'x' }, names, { userId: 'u1', workspaceId: 'w1', now })).toEqual({
      start: '2026-01-02T08:30:00Z',
      end: '2026-01-02T10:00:00Z',
      description: 'x',
    });
  });

  it('leaves out ids the workspace has nothing for, with the array item that carried them', () => {
    const body = { customFields: [{ customFieldId: '5e4117fe8c625f38930d57b7', value: 1 }], name: 'x' };
    expect(fillExampleIds(body, names, { userId: 'u1', workspaceId: 'w1' })).toEqual({ name: 'x' });
  });
});

describe('call samples', () => {
  const call = {
    method: 'POST',
    serverUrl: 'https://api.clockify.me/api/',
    path: '/v1/workspaces/{workspaceId}/projects',
    parameters: [
      { name: 'workspaceId', in: 'path' as const, required: true, schema: {} },
      { name: 'name', in: 'query' as const, required: false, schema: {} },
    ],
    params: { workspaceId: 'w1', name: 'a b' },
    body: { name: "O'Neil" },
  };
  it('builds the URL with path and query values, and never writes the token in', () => {
    expect(sampleUrl(call)).toBe('https://api.clockify.me/api/v1/workspaces/w1/projects?name=a+b');
    expect(curlSample(call)).toContain(`--data-raw '{\n  "name": "O'\\''Neil"\n}'`);
    expect(curlSample(call)).toContain('$CLOCKIFY_ADDON_TOKEN');
    expect(fetchSample(call)).toContain('process.env.CLOCKIFY_ADDON_TOKEN');
    expect(fetchSample(call)).toContain("method: 'POST'");
  });
});
