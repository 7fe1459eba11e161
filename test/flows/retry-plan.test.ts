/** Which picked runs a retry runs again, and the reason given for each it does not. */
import { describe, expect, it } from 'vitest';
import { placeOf, planRetry, retryJobKey } from '../../src/flows/retry-plan.js';
import type { RetryContext } from '../../src/flows/retry-plan.js';
import type { FlowRunView } from '../../src/flows/store.js';

const run = (id: string, fields: Partial<FlowRunView> = {}): FlowRunView => ({
  id,
  flowId: 'flow-a',
  flowVersion: 1,
  eventId: 'event-1',
  status: 'failed',
  matched: true,
  trace: null,
  error: null,
  replayOf: null,
  startedAt: 0,
  finishedAt: 1,
  ...fields,
});
const context = (fields: Partial<RetryContext> = {}): RetryContext => ({
  version: 'original',
  finished: false,
  flowIds: new Set(['flow-a', 'flow-b']),
  newest: new Map(),
  ...fields,
});

describe('planRetry', () => {
  it('retries only the latest run of a flow on an event, so an old run and its retry act once', () => {
    const first = run('r1');
    const retried = run('r2', { replayOf: 'r1' });
    const other = run('r3', { flowId: 'flow-b' });
    const newest = new Map([
      [placeOf(first), 'r2'],
      [placeOf(other), 'r3'],
    ]);
    const plan = planRetry([first, retried, other], context({ newest }));
    expect(plan.retry.map((r) => r.id)).toEqual(['r2', 'r3']);
    expect(plan.skipped).toEqual([{ runId: 'r1', reason: expect.stringMatching(/ran on the same event again since \(run r2\)/) }]);
  });

  it('says why a run is not retried: not failed, not ended, no event, or its flow deleted (as it is now)', () => {
    const reasons = (runs: FlowRunView[], fields: Partial<RetryContext>) =>
      planRetry(runs, context(fields)).skipped.map((skip) => skip.reason);
    expect(reasons([run('s', { status: 'succeeded' })], {})).toEqual(['it succeeded; only failed runs are retried']);
    expect(reasons([run('w', { status: 'waiting' })], { finished: true })).toEqual(['it is still waiting; retry it once it has ended']);
    expect(reasons([run('n', { eventId: null })], {})).toEqual(['it has no event to run on']);
    expect(reasons([run('d', { flowId: 'gone' })], { version: 'current' })).toEqual([
      'its flow was deleted; retry it with its original version',
    ]);
    expect(reasons([run('d', { flowId: 'gone' })], { version: 'original' })).toEqual([]);
  });

  it('keys the queued job by flow and event, whichever of its runs was picked', () => {
    expect(retryJobKey(run('r1'))).toBe(retryJobKey(run('r2', { replayOf: 'r1' })));
    expect(retryJobKey(run('r1'))).not.toBe(retryJobKey(run('r1', { flowId: 'flow-b' })));
  });
});
