/** Group commit: how many waiting webhooks one commit takes (bounded in count and in payload size). */
import { describe, expect, it } from 'vitest';
import { nextBatchSize } from '../../src/ingest/event-store.js';

const MB = 1024 * 1024;

describe('the next commit’s batch', () => {
  it('takes everything waiting when it is small', () => {
    expect(nextBatchSize([1500, 1500, 1500])).toBe(3);
    expect(nextBatchSize([])).toBe(0);
  });

  it('takes at most 200 events', () => {
    expect(nextBatchSize(Array.from({ length: 500 }, () => 1000))).toBe(200);
  });

  it('stops before the payloads pass 8 MB, but always takes one', () => {
    expect(nextBatchSize([3 * MB, 3 * MB, 3 * MB, 1000])).toBe(2);
    expect(nextBatchSize([5 * MB, 5 * MB])).toBe(1);
    expect(nextBatchSize([20 * MB, 10])).toBe(1);
  });
});
