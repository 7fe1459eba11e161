/** The role rule's pure parts: what is a write, which fields are money or contact data, what a member's views keep. */
import { describe, expect, it } from 'vitest';
import {
  eventFor,
  isSensitiveField,
  isWriteRoute,
  liveEventFor,
  runFor,
  seesSetting,
  withoutSensitiveFields,
  writeRefusal,
} from '../../src/server/access-policy.js';

const admin = { userId: 'a', isAdmin: true, installation: { status: 'ACTIVE' } };
const member = { userId: 'm', isAdmin: false, installation: { status: 'ACTIVE' } };

describe('access policy', () => {
  it('counts every non-GET as a write except dry runs and explorer calls', () => {
    expect(isWriteRoute('GET', '/ui/flows')).toBe(false);
    expect(isWriteRoute('POST', '/ui/flows')).toBe(true);
    expect(isWriteRoute('DELETE', '/ui/flows/:flowId')).toBe(true);
    expect(isWriteRoute('POST', '/ui/some-route-added-tomorrow')).toBe(true);
    expect(isWriteRoute('POST', '/ui/flows/:flowId/test')).toBe(false);
    expect(isWriteRoute('POST', '/ui/api-explorer/execute')).toBe(false);
  });

  it('refuses a member first, then an inactive installation', () => {
    expect(writeRefusal(admin)).toBeUndefined();
    expect(writeRefusal(member)?.status).toBe(403);
    expect(writeRefusal({ ...member, installation: { status: 'INACTIVE' } })?.status).toBe(403);
    const inactive = writeRefusal({ ...admin, installation: { status: 'INACTIVE' } });
    expect(inactive).toMatchObject({ status: 409, slug: 'addon-inactive' });
    expect(inactive?.message).toMatch(/^The add-on is deactivated in this workspace; /);
  });

  it('tells money and contact fields by their words, not by substrings', () => {
    for (const key of [
      'hourlyRate',
      'costRate',
      'rate',
      'amount',
      'billingAddress',
      'unit_price',
      'email',
      'memberships',
      'total',
      'taxAmount',
      'budgetEstimate',
    ])
      expect(isSensitiveField(key), key).toBe(true);
    for (const key of ['createdAt', 'generatedAt', 'duration', 'description', 'billable', 'userId', 'estimate', 'name', 'separatedBy'])
      expect(isSensitiveField(key), key).toBe(false);
  });

  it('removes those fields at any depth, arrays included', () => {
    const payload = {
      id: 'e',
      hourlyRate: { amount: 1 },
      project: { name: 'p', costRate: 2, client: { address: 'x', name: 'c' } },
      items: [{ unitPrice: 3, note: 'n' }],
    };
    expect(withoutSensitiveFields(payload)).toEqual({ id: 'e', project: { name: 'p', client: { name: 'c' } }, items: [{ note: 'n' }] });
  });

  it('gives members outcomes and stripped payloads, admins everything', () => {
    const event = { id: 'e', payload: { hourlyRate: 1, description: 'd' }, headers: { a: 'b' }, error: 'Clockify said 500 …' };
    expect(eventFor(admin, event)).toBe(event);
    expect(eventFor(member, event)).toEqual({
      id: 'e',
      payload: { description: 'd' },
      headers: {},
      error: expect.stringMatching(/admin can see why/),
    });
    expect(runFor(member, { id: 'r', trace: [1], error: null })).toEqual({ id: 'r', trace: null, error: null });
    const triggered = {
      flows: { runs: [{ flowId: 'f', runId: 'r', status: 'succeeded' }] },
      forwarding: { error: 'https://hook.example/?token=t answered 500' },
    };
    expect(eventFor(member, { id: 'e', triggered }).triggered).toEqual({
      flows: triggered.flows,
      forwarding: { error: expect.stringMatching(/admin can see why/) },
    });
  });

  it('passes a member only live events about themselves', () => {
    expect(liveEventFor(member, { kind: 'webhook', data: { id: 'x', userId: 'm' } })).toEqual({ id: 'x', userId: 'm' });
    expect(liveEventFor(member, { kind: 'webhook', data: { id: 'x', userId: 'other' } })).toBeUndefined();
    expect(liveEventFor(member, { kind: 'flow-run', data: { id: 'x', userId: null } })).toBeUndefined();
    expect(liveEventFor(admin, { kind: 'webhook', data: { id: 'x', userId: 'other' } })).toEqual({ id: 'x', userId: 'other' });
  });

  it('shows members only settings declared for everyone (no accessLevel means ADMINS, as in the manifest)', () => {
    expect(seesSetting(member, {})).toBe(false);
    expect(seesSetting(member, { accessLevel: 'ADMINS' })).toBe(false);
    expect(seesSetting(member, { accessLevel: 'EVERYONE' })).toBe(true);
    expect(seesSetting(admin, {})).toBe(true);
  });
});
