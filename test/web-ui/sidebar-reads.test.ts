/** The pure parts of the sidebar's read routes (src/web-ui): capabilities, names, digests, preferences. */
import { describe, expect, it } from 'vitest';
import { universalWebhook } from '../../src/editions/universal-webhook.js';
import { clockifyAddon } from '../../src/editions/clockify-addon.js';
import { findFlowTemplate } from '../../src/flows/library.js';
import { effectiveCapabilities, templateNeeds } from '../../src/web-ui/capabilities.js';
import { eventDigest, likePattern } from '../../src/web-ui/event-digest.js';
import { nameDirectory } from '../../src/bootstrap/names.js';
import { preferencesOf } from '../../src/web-ui/preferences-routes.js';

describe('capabilities as the workspace settings leave them', () => {
  it('claims HTTP actions only when the setting is on, and says how to turn them on', () => {
    const off = effectiveCapabilities(universalWebhook, { enable_http_actions: false, include_heavy: true });
    expect(off.find((c) => c.id === 'httpActions')).toMatchObject({
      state: 'off',
      howToEnable: expect.stringContaining('Allow HTTP actions'),
    });
    expect(off.find((c) => c.id === 'forwarding')).toMatchObject({ state: 'unavailable' });
    expect(
      effectiveCapabilities(universalWebhook, { enable_http_actions: true, include_heavy: true }).find((c) => c.id === 'httpActions')
        ?.state,
    ).toBe('on');
  });

  it('reads forwarding as on only for an http(s) URL', () => {
    expect(effectiveCapabilities(clockifyAddon, { forwarding_url: 'disabled' }).find((c) => c.id === 'forwarding')?.state).toBe('off');
    expect(
      effectiveCapabilities(clockifyAddon, { forwarding_url: 'https://example.com/x' }).find((c) => c.id === 'forwarding')?.state,
    ).toBe('on');
  });

  it('knows which templates need HTTP actions', () => {
    expect(templateNeeds(findFlowTemplate('notify-time-off-request')!)).toEqual(['httpActions']);
    expect(templateNeeds(findFlowTemplate('project-standard-tasks')!)).toEqual([]);
  });
});

describe('names from the snapshot', () => {
  it('keeps ids, names and links only, sorted by name, with the workspace name', () => {
    const directory = nameDirectory(
      'w1',
      [
        {
          entity_type: 'projects',
          entity_id: 'p2',
          data_json: JSON.stringify({ name: 'Zeta', clientId: 'c1', color: '#fff', hourlyRate: { amount: 5 } }),
        },
        { entity_type: 'projects', entity_id: 'p1', data_json: JSON.stringify({ name: 'Alpha' }) },
        { entity_type: 'users', entity_id: 'u1', data_json: JSON.stringify({ name: 'Ana', email: 'ana@example.com' }) },
        { entity_type: 'raw:getWorkspaceOfUser', entity_id: 'w1', data_json: JSON.stringify({ id: 'w1', name: 'Acme' }) },
        { entity_type: 'time-entries', entity_id: 't1', data_json: '{}' },
        { entity_type: 'tags', entity_id: 'g1', data_json: 'not json' },
      ],
      [{ id: 's1', name: 'GitHub' }],
    );
    expect(directory.workspace).toEqual({ id: 'w1', name: 'Acme' });
    expect(directory.projects).toEqual([
      { id: 'p1', name: 'Alpha' },
      { id: 'p2', name: 'Zeta', parentId: 'c1', color: '#fff' },
    ]);
    expect(directory.users).toEqual([{ id: 'u1', name: 'Ana' }]);
    expect(directory.tags).toEqual([{ id: 'g1', name: 'g1' }]);
    expect(directory.sources).toEqual([{ id: 's1', name: 'GitHub' }]);
    expect(JSON.stringify(directory)).not.toContain('example.com');
  });
});

describe('event digests and search patterns', () => {
  it('keeps the facts of a summary, never emails', () => {
    const digest = eventDigest({
      id: 'e',
      userId: 'u1',
      user: { name: 'Ana', email: 'a@b.c' },
      project: { id: 'p1', name: 'Web', clientName: 'Acme' },
      timeInterval: { start: 's', end: 'e', duration: 'PT1H' },
      description: 'x'.repeat(500),
    });
    expect(digest).toMatchObject({
      entityId: 'e',
      userId: 'u1',
      userName: 'Ana',
      projectId: 'p1',
      projectName: 'Web',
      clientName: 'Acme',
      duration: 'PT1H',
    });
    expect(digest.description).toHaveLength(160);
    expect(JSON.stringify(digest)).not.toContain('a@b.c');
    expect(eventDigest(null)).toEqual({});
  });

  it('matches what the user typed literally', () => {
    expect(likePattern('50%_Off\\')).toBe('%50\\%\\_off\\\\%');
  });
});

describe('user preferences from Clockify', () => {
  it('reads the date and time settings, and says when Clockify gave none', () => {
    expect(preferencesOf({ settings: { timeZone: 'Europe/Berlin', dateFormat: 'DD.MM.YYYY', timeFormat: 'HOUR24' } })).toEqual({
      source: 'clockify',
      timeZone: 'Europe/Berlin',
      dateFormat: 'DD.MM.YYYY',
      timeFormat: 'HOUR24',
    });
    expect(preferencesOf({ name: 'x' })).toEqual({ source: 'default', timeZone: null, dateFormat: null, timeFormat: null });
  });
});
