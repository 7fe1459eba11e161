import { describe, expect, it } from 'vitest';
import { FailureBurst } from '../../src/reconcile/failure-burst.js';

describe('FailureBurst', () => {
  it('says "burst" at the threshold-th failure within a minute, then stays quiet for a minute', () => {
    const burst = new FailureBurst(3);
    expect([burst.note(0), burst.note(10_000), burst.note(20_000)]).toEqual([false, false, true]);
    // The same burst going on: no second early reconciliation within the minute.
    expect([burst.note(21_000), burst.note(22_000), burst.note(23_000)]).toEqual([false, false, false]);
    // Once those have left the window, three more failures are a new burst.
    expect([burst.note(90_000), burst.note(91_000), burst.note(92_000)]).toEqual([false, false, true]);
  });

  it('does not count failures spread out over more than a minute', () => {
    const burst = new FailureBurst(3);
    expect([burst.note(0), burst.note(40_000), burst.note(70_000), burst.note(120_000)]).toEqual([false, false, false, false]);
  });

  it('is off at 0', () => {
    const burst = new FailureBurst(0);
    expect(Array.from({ length: 10 }, (_, i) => burst.note(i))).not.toContain(true);
  });
});
