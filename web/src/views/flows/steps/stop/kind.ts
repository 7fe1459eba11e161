import { uniqueActionId } from '../../../../lib/flow-draft';
import type { StepKindInfo } from '../types';

export const STOP_OUTCOME_LABELS = { succeeded: 'as succeeded', failed: 'as failed', skipped: 'as skipped' } as const;

export const stopKind: StepKindInfo<'stop'> = {
  kind: 'stop',
  label: 'Stop',
  icon: 'stop',
  description: 'End the run here, as succeeded, failed or skipped.',
  blank: (taken) => ({ id: uniqueActionId('stop', taken), kind: 'stop', outcome: 'succeeded' }),
  summary: (step) => `Stop ${STOP_OUTCOME_LABELS[step.outcome]}${step.message ? `: ${step.message}` : ''}`,
  problems: () => [],
};
