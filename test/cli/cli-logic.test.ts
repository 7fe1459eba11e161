import { describe, expect, it } from 'vitest';
import { freshPayload, isoDuration, newObjectId } from '../../src/cli/fresh-event.js';
import type { WorkspaceSnapshot } from '../../src/cli/fresh-event.js';
import { prettyLine } from '../../src/cli/log-destination.js';
import { settingValue } from '../../src/cli/settings.js';
import { backoffDelay, describeExit } from '../../src/cli/supervisor.js';
import { deliveryKey } from '../../src/ingest/delivery-key.js';
import { readResourceJson } from '../../src/resources.js';

const samples = readResourceJson<Record<string, unknown>>('clockify', 'webhook-samples.json');
const snapshot: WorkspaceSnapshot = {
  workspaceId: 'a'.repeat(24),
  users: [{ id: 'b'.repeat(24), name: 'Ana' }],
  projects: [{ id: 'c'.repeat(24), name: 'Website', clientId: 'd'.repeat(24), clientName: 'Acme' }],
  tags: [{ id: 'e'.repeat(24), name: 'urgent' }],
  timeEntry: {
    id: 'f'.repeat(24),
    description: 'old',
    userId: 'b'.repeat(24),
    projectId: 'c'.repeat(24),
    workspaceId: 'a'.repeat(24),
    type: 'REGULAR',
    timeInterval: { start: '2020-01-01T00:00:00Z', end: '2020-01-01T01:00:00Z', duration: 'PT1H' },
    customFieldValues: [{ customFieldId: '1'.repeat(24), timeEntryId: 'f'.repeat(24), value: 'x' }],
  },
};

describe('trigger payloads', () => {
  it('makes every NEW_TIME_ENTRY a new delivery: a new id, ending now, modelled on a real entry', () => {
    const now = Date.parse('2026-05-01T12:00:00Z');
    const one = freshPayload('NEW_TIME_ENTRY', samples['NEW_TIME_ENTRY'], snapshot, { now });
    const two = freshPayload('NEW_TIME_ENTRY', samples['NEW_TIME_ENTRY'], snapshot, { now });
    expect(one['id']).toMatch(/^[0-9a-f]{24}$/);
    expect(one['id']).not.toBe(two['id']);
    expect(one['id']).not.toBe(snapshot.timeEntry!['id']);
    expect(one).toMatchObject({ workspaceId: snapshot.workspaceId, userId: snapshot.users[0]!.id, projectId: snapshot.projects[0]!.id });
    expect((one['timeInterval'] as { end: string }).end).toBe('2026-05-01T12:00:00Z');
    expect((one['customFieldValues'] as { timeEntryId: string }[])[0]!.timeEntryId).toBe(one['id']);
    expect(one).not.toHaveProperty('type');
    const key = (payload: unknown) =>
      deliveryKey({ workspaceId: snapshot.workspaceId, source: 'clockify', eventType: 'NEW_TIME_ENTRY', payload });
    expect(key(one)).not.toBe(key(two));
  });

  it("rewrites other events' sample ids to the workspace and gives the event a new id", () => {
    const project = freshPayload('NEW_PROJECT', samples['NEW_PROJECT'], snapshot);
    expect(project['workspaceId']).toBe(snapshot.workspaceId);
    expect(project['clientId']).toBe(snapshot.projects[0]!.clientId);
    expect(project['id']).not.toBe((samples['NEW_PROJECT'] as { id: string }).id);
    expect(JSON.stringify(project)).not.toContain('5f11791a4e759e12c40733ba'); // the sample's workspace
  });

  it('writes ids and durations as Clockify does', () => {
    expect(newObjectId(Date.parse('2020-07-17T11:35:01Z')).slice(0, 8)).toBe(
      Math.floor(Date.parse('2020-07-17T11:35:01Z') / 1000).toString(16),
    );
    expect(isoDuration(3600)).toBe('PT1H');
    expect(isoDuration(5400)).toBe('PT1H30M');
    expect(isoDuration(0)).toBe('PT0S');
  });
});

describe('settings values from the command line', () => {
  it('reads checkboxes and numbers as their types and refuses what they cannot be', () => {
    expect(settingValue({ id: 'a', name: 'A', type: 'CHECKBOX', value: false }, 'TRUE')).toBe(true);
    expect(settingValue({ id: 'n', name: 'N', type: 'NUMBER', value: 1 }, '25')).toBe(25);
    expect(settingValue({ id: 't', name: 'T', type: 'TXT', value: '' }, 'https://x.example')).toBe('https://x.example');
    expect(() => settingValue({ id: 'a', name: 'A', type: 'CHECKBOX', value: false }, 'yes')).toThrow(/a=true or a=false/);
    expect(() => settingValue({ id: 'n', name: 'N', type: 'NUMBER', value: 1 }, 'many')).toThrow(/number/);
  });
});

describe('supervisor policy', () => {
  it('backs off exponentially up to a cap and says how a child ended', () => {
    expect([1, 2, 3, 4, 10].map((n) => backoffDelay(n, 500, 30_000))).toEqual([500, 1000, 2000, 4000, 30_000]);
    expect(describeExit(null, 'SIGKILL')).toBe('killed by SIGKILL');
    expect(describeExit(137, null)).toBe('exited with code 137');
  });
});

describe('LOG_FORMAT=pretty', () => {
  it('turns a JSON log line into one readable line with its fields', () => {
    const line = prettyLine(
      JSON.stringify({ level: 'warn', time: '2026-01-02T03:04:05.678Z', pid: 1, edition: 'api-studio', msg: 'slow answer', ms: 812 }),
    );
    expect(line).toBe('03:04:05 WARN  slow answer  edition=api-studio ms=812\n');
    expect(prettyLine('not json')).toBe('not json\n');
  });
});
