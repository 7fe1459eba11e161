import type { RunEnd, StepStatus } from './types.js';

/** A container's own status when its nested list ended the run: parked with it, failed with it, otherwise done. */
export function containerStatus(end: RunEnd | undefined): StepStatus {
  if (end?.status === 'waiting') return 'waiting';
  return end?.status === 'failed' || end?.status === 'dead' ? 'failed' : 'succeeded';
}
