import { describe, expect, it } from 'vitest';
import type { BootstrapRun, InspectorEvent } from '../src/api/types';
import { applyBootstrapEvent } from '../src/views/overview/bootstrap-progress';
import { NO_FILTER } from '../src/views/webhooks/event-filters';
import { mergeLiveWebhook, readLiveWebhook } from '../src/views/webhooks/live-events';
import { unwrapSample } from '../src/views/flows/field-picker';

const event = (id: string, status: InspectorEvent['status'] = 'received'): InspectorEvent => ({
  id,
  source: 'clockify',
  eventType: 'NEW_TAG',
  status,
  receivedAt: 1,
  processedAt: null,
  duplicates: 0,
  userId: null,
  projectId: null,
  timeEntryId: null,
  clientId: null,
  tagIds: [],
  error: null,
  triggered: null,
});

describe('live webhooks in the list', () => {
  it('reads the stream message and refuses malformed ones', () => {
    expect(readLiveWebhook({ id: 'e1', eventType: 'NEW_TAG', status: 'processed' })).toEqual({
      id: 'e1',
      eventType: 'NEW_TAG',
      status: 'processed',
      source: undefined,
    });
    expect(readLiveWebhook({ id: 'e1', eventType: 'NEW_TAG', status: 'weird' })?.status).toBe('received');
    expect(readLiveWebhook({ eventType: 'NEW_TAG' })).toBeNull();
  });

  it('puts a new event on top and updates the status of a known one', () => {
    const added = mergeLiveWebhook([event('e1')], { id: 'e2', eventType: 'NEW_TAG', status: 'received' }, NO_FILTER, 50);
    expect(added.added).toBe(true);
    expect(added.list.map((e) => e.id)).toEqual(['e2', 'e1']);
    expect(added.list[0]?.receivedAt).toBe(50);
    const updated = mergeLiveWebhook(added.list, { id: 'e1', eventType: 'NEW_TAG', status: 'processed' }, NO_FILTER, 60);
    expect(updated).toMatchObject({ added: false });
    expect(updated.list[1]).toMatchObject({ id: 'e1', status: 'processed', processedAt: 60 });
  });

  it('respects the filters on screen', () => {
    const list = [event('e1')];
    expect(
      mergeLiveWebhook(list, { id: 'e2', eventType: 'NEW_PROJECT', status: 'received' }, { ...NO_FILTER, type: 'NEW_TAG' }, 0).list,
    ).toBe(list);
    expect(
      mergeLiveWebhook(list, { id: 'e2', eventType: 'NEW_TAG', status: 'received' }, { ...NO_FILTER, to: '2000-01-01T00:00' }, Date.now())
        .added,
    ).toBe(false);
    expect(
      mergeLiveWebhook(
        list,
        { id: 'e2', eventType: 'push', status: 'received', source: 'custom:s1' },
        { ...NO_FILTER, source: 'clockify' },
        0,
      ).added,
    ).toBe(false);
    expect(
      mergeLiveWebhook(
        list,
        { id: 'e2', eventType: 'push', status: 'received', source: 'custom:s1' },
        { ...NO_FILTER, source: 'custom:s1' },
        0,
      ).added,
    ).toBe(true);
    expect(
      mergeLiveWebhook(list, { id: 'e2', eventType: 'NEW_TAG', status: 'received' }, { ...NO_FILTER, source: 'clockify' }, 0).added,
    ).toBe(true);
    // Filtering on "failed": a row that becomes processed leaves the list, one that fails joins it.
    const failedOnly = { ...NO_FILTER, status: 'failed' };
    expect(mergeLiveWebhook([event('e1', 'failed')], { id: 'e1', eventType: 'NEW_TAG', status: 'processed' }, failedOnly, 0).list).toEqual(
      [],
    );
    expect(mergeLiveWebhook([], { id: 'e3', eventType: 'NEW_TAG', status: 'failed' }, failedOnly, 0).added).toBe(true);
  });

  it('returns the same list when nothing changes', () => {
    const list = [event('e1', 'processed')];
    expect(mergeLiveWebhook(list, { id: 'e1', eventType: 'NEW_TAG', status: 'processed' }, NO_FILTER, 0).list).toBe(list);
  });
});

describe('live bootstrap progress', () => {
  const run: BootstrapRun = {
    id: 'r1',
    status: 'running',
    mode: 'full',
    operationsTotal: 10,
    operationsDone: 2,
    entitiesFetched: 5,
    pagesFetched: 2,
    errorsCount: 0,
    createdAt: 1,
    startedAt: 1,
    finishedAt: null,
    errors: [],
  };

  it('moves the counters of the shown run forward', () => {
    expect(applyBootstrapEvent(run, { id: 'r1', operationsDone: 7, entitiesFetched: 40, status: 'running' })).toMatchObject({
      operationsDone: 7,
      entitiesFetched: 40,
      operationsTotal: 10,
    });
    expect(applyBootstrapEvent(run, { id: 'r1', status: 'completed', operationsDone: 10, finishedAt: 9 })).toMatchObject({
      status: 'completed',
      finishedAt: 9,
    });
  });

  it('switches to a new run only when the event describes it fully', () => {
    const full = {
      id: 'r2',
      status: 'pending',
      mode: 'failed-only',
      operationsTotal: 3,
      operationsDone: 0,
      entitiesFetched: 0,
      pagesFetched: 0,
      errorsCount: 0,
    };
    expect(applyBootstrapEvent(run, full)).toMatchObject({ id: 'r2', mode: 'failed-only' });
    expect(applyBootstrapEvent(run, { id: 'r2', operationsDone: 1 })).toBe(run);
    expect(applyBootstrapEvent(null, full)?.id).toBe('r2');
  });

  it('ignores values of the wrong type', () => {
    expect(applyBootstrapEvent(run, { id: 'r1', operationsDone: 'lots', status: 'exploded' })).toEqual(run);
  });
});

describe('the field picker payload', () => {
  it('unwraps the sample endpoint reply and keeps a bare payload as it is', () => {
    expect(unwrapSample({ eventType: 'NEW_TAG', source: 'bundled-sample', payload: { id: 't' } })).toEqual({ id: 't' });
    expect(unwrapSample({ sample: { id: 't' } })).toEqual({ id: 't' });
    expect(unwrapSample({ id: 't', payload: 'x' })).toEqual({ id: 't', payload: 'x' });
  });
});
